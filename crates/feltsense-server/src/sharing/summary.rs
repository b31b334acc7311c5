//! The caseload's per-person summaries: computed from the person's data
//! inside every write's transaction (so they are never stale), sealed
//! with the person's key, one row per scope so row-level security shows
//! a reader only the scopes their grant shares.

use crate::store::kept::{Kept, Touches};
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

/// Whether a write brings a summary up to date.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Leave,
    /// Only if it is not stored yet (every person gets both summaries with
    /// their first write, whatever it writes).
    IfMissing,
    Always,
}

/// Which summaries a write brings up to date, and from what.
pub(crate) struct Refresh<'a> {
    check_ins: Need,
    questionnaires: Need,
    /// The person's check-ins as they are after the write, newest first,
    /// when the store has them opened already; else they are read.
    kept: Option<&'a [CheckIn]>,
}

impl<'a> Refresh<'a> {
    /// For a write that did `touches`, with the check-ins `kept` after it;
    /// `summarised`: both summaries are known to be stored.
    pub(crate) fn new(touches: &Touches<'_>, kept: Option<&'a Kept>, summarised: bool) -> Self {
        let base = if summarised {
            Need::Leave
        } else {
            Need::IfMissing
        };
        let (check_ins, questionnaires) = match touches {
            Touches::CheckIn(_) => (Need::Always, base),
            Touches::Questionnaires => (base, Need::Always),
            Touches::Neither => (base, base),
            Touches::Anything => (Need::Always, Need::Always),
        };
        Refresh {
            check_ins,
            questionnaires,
            kept: kept.map(|k| k.checkins.as_slice()),
        }
    }
}

/// Recomputes and stores, in `tx`, the summaries of `scope`'s person that
/// `how` asks for.
pub(crate) async fn refresh(tx: &Transaction<'_>, scope: &Scope, how: Refresh<'_>) -> Done<()> {
    let stored = match [how.check_ins, how.questionnaires].contains(&Need::IfMissing) {
        true => stored_scopes(tx, scope).await?,
        false => Vec::new(),
    };
    let wanted = |need: Need, name: &str| match need {
        Need::Leave => false,
        Need::IfMissing => !stored.iter().any(|s| s == name),
        Need::Always => true,
    };
    if wanted(how.check_ins, "checkins") {
        let summary = match how.kept {
            Some(kept) => check_ins(recent(kept), kept.first().map(|c| c.at.to_utc())),
            None => check_ins_read(tx, scope).await?,
        };
        store(tx, scope, "checkins", &summary).await?;
    }
    if wanted(how.questionnaires, "questionnaires") {
        let responses = kinds::load::<Response>(tx, scope, Filter::All).await?.found;
        store(tx, scope, "questionnaires", &questionnaires(&responses)).await?;
    }
    Ok(())
}

/// The first eight weeks' worth of `newest_first` (the summary's window).
fn recent(newest_first: &[CheckIn]) -> &[CheckIn] {
    let since = Utc::now() - Duration::days(WINDOW_DAYS);
    &newest_first[..newest_first.partition_point(|c| c.at >= since)]
}

/// The days of check-ins a summary looks at: four weeks and the four before.
const WINDOW_DAYS: i64 = 56;

/// The check-in summary from the check-ins of the window read from the
/// database (when the store has none opened).
async fn check_ins_read(tx: &Transaction<'_>, scope: &Scope) -> Done<CheckInSummary> {
    let since = Utc::now() - Duration::days(WINDOW_DAYS);
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
    Ok(check_ins(&recent, last))
}

async fn stored_scopes(tx: &Transaction<'_>, scope: &Scope) -> Done<Vec<String>> {
    let rows = tx
        .query(
            "SELECT scope FROM summaries WHERE tenant = $1 AND person = $2",
            &[&scope.tenant, &scope.person],
        )
        .await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

async fn store<T: Serialize>(
    tx: &Transaction<'_>,
    scope: &Scope,
    name: &str,
    value: &T,
) -> Done<()> {
    let sealed = kinds::seal(TABLE, scope, name, value)?;
    let upsert = tx
        .prepare_cached(
            "INSERT INTO summaries (tenant, person, scope, sealed) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, person, scope) DO UPDATE SET sealed = excluded.sealed, updated_at = now()",
        )
        .await?;
    tx.execute(&upsert, &[&scope.tenant, &scope.person, &name, &sealed])
        .await?;
    Ok(())
}

fn check_ins(recent: &[CheckIn], last_at: Option<DateTime<Utc>>) -> CheckInSummary {
    let today = Utc::now().date_naive();
    let compared = then_and_now(
        recent,
        today - Duration::days(WINDOW_DAYS - 1),
        today,
        vocabulary(),
    );
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
