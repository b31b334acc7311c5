//! The caseload's per-person summaries: computed from the person's data
//! inside every write's transaction (so they are never stale), sealed
//! with the person's key, one row per scope so row-level security shows
//! a reader only the scopes their grant shares.

use crate::store::kinds::{self, Filter};
use crate::store::{Done, Scope};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use deadpool_postgres::Transaction;
use feltsense_core::assessments::{definition, Instrument, Response};
use feltsense_core::metrics::compare::then_and_now;
use feltsense_core::{CheckIn, Vocabulary};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

pub(crate) const TABLE: &str = "summaries";

/// What the caseload shows of check-ins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInSummary {
    pub last_at: Option<DateTime<Utc>>,
    /// The numbness profile of the four weeks before the last four.
    pub then: Profile,
    /// The numbness profile of the last four weeks.
    pub now: Profile,
    /// One plain sentence naming both and the change.
    pub change: String,
}

/// A numbness profile in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub pattern: String,
    pub headline: String,
    /// How many check-ins it was read from (0 in summaries sealed before
    /// this was kept, until the person's next write).
    #[serde(default)]
    pub checkins: usize,
}

/// What the caseload shows of questionnaires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireSummary {
    /// The latest response to each instrument answered.
    pub latest: Vec<Latest>,
    /// When PHQ-9 item 9 was last answered above "not at all".
    pub phq9_item9_positive: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub title: String,
    pub at: DateTime<FixedOffset>,
    pub score: u32,
    pub max: u32,
    pub band: String,
    /// The response before it, when there is one.
    pub previous: Option<u32>,
    /// "higher", "lower", "the same" or "first".
    pub trend: String,
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(Vocabulary::embedded)
}

/// Recomputes and stores both summaries of `scope`'s person, in `tx`.
pub(crate) async fn refresh(tx: &Transaction<'_>, scope: &Scope) -> Done<()> {
    let since = Utc::now() - Duration::days(56);
    let recent = kinds::load::<CheckIn>(tx, scope, Filter::Since(since))
        .await?
        .found;
    let last: Option<DateTime<Utc>> = tx
        .query_one(
            "SELECT max(at) FROM checkins WHERE tenant = $1 AND person = $2",
            &[&scope.tenant, &scope.person],
        )
        .await?
        .get(0);
    store(tx, scope, "checkins", &check_ins(&recent, last)).await?;
    let responses = kinds::load::<Response>(tx, scope, Filter::All).await?.found;
    store(tx, scope, "questionnaires", &questionnaires(&responses)).await
}

async fn store<T: Serialize>(
    tx: &Transaction<'_>,
    scope: &Scope,
    name: &str,
    value: &T,
) -> Done<()> {
    let sealed = kinds::seal(TABLE, scope, name, value)?;
    tx.execute(
        "INSERT INTO summaries (tenant, person, scope, sealed) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, person, scope) DO UPDATE SET sealed = excluded.sealed, updated_at = now()",
        &[&scope.tenant, &scope.person, &name, &sealed],
    )
    .await?;
    Ok(())
}

fn check_ins(recent: &[CheckIn], last_at: Option<DateTime<Utc>>) -> CheckInSummary {
    let today = Utc::now().date_naive();
    let compared = then_and_now(recent, today - Duration::days(55), today, vocabulary());
    let profile = |w: &feltsense_core::metrics::compare::Window| Profile {
        pattern: serde_json::to_value(w.profile.pattern)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        headline: w.profile.headline.clone(),
        checkins: w.insights.checkins,
    };
    CheckInSummary {
        last_at,
        then: profile(&compared.then),
        now: profile(&compared.now),
        change: compared.summary,
    }
}

fn key(instrument: Instrument) -> &'static str {
    match instrument {
        Instrument::Phq9 => "phq9",
        Instrument::Gad7 => "gad7",
        Instrument::Pcl5 => "pcl5",
        Instrument::Who5 => "who5",
    }
}

/// `responses` newest first (as [`kinds::load`] gives them).
fn questionnaires(responses: &[Response]) -> QuestionnaireSummary {
    let mut latest = Vec::new();
    for instrument in [
        Instrument::Phq9,
        Instrument::Gad7,
        Instrument::Pcl5,
        Instrument::Who5,
    ] {
        let def = definition(key(instrument)).expect("every instrument has a definition");
        let mut of = responses.iter().filter(|r| r.instrument == instrument);
        let Some(newest) = of.next() else { continue };
        let score = def.score(&newest.answers);
        let previous = of.next().map(|r| def.score(&r.answers).reported);
        let trend = match previous {
            None => "first",
            Some(p) if score.reported > p => "higher",
            Some(p) if score.reported < p => "lower",
            Some(_) => "the same",
        };
        latest.push(Latest {
            title: def.title.to_string(),
            at: newest.at,
            score: score.reported,
            max: score.max,
            band: score.band.to_string(),
            previous,
            trend: trend.to_string(),
        });
    }
    let phq9_item9_positive = responses
        .iter()
        .find(|r| r.instrument == Instrument::Phq9 && r.answers.get(8).is_some_and(|a| *a > 0))
        .map(|r| r.at);
    QuestionnaireSummary {
        latest,
        phq9_item9_positive,
    }
}
