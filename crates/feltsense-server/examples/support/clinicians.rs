//! The seed tool's clinicians (issue 14's figure): CLINICIANS clinicians
//! of the seeded clinic, each with a second factor, a grant of check-ins
//! and questionnaires from 50 of the seeded people (clinician `c` gets
//! people `50c` to `50c + 49`, wrapping, so with 20 clinicians and 500
//! people everyone shares with two), three PHQ-9s for every person shared
//! (so the caseload has scores), and a signed-in session made the way a
//! completed second-factor sign-in makes it (`Stage::Full`, only here,
//! never a way round the server's sign-in). One line per clinician: cookie
//! token, CSRF token, account id and their people's ids, comma-separated.

use super::{Failure, Person};
use chrono::{Duration, Utc};
use feltsense_core::assessments::{Instrument, Response};
use feltsense_server::accounts::{second_factor, Invite, NewAccount, Purpose, Role, Stage};
use feltsense_server::sharing::{grants, GrantDraft, GranteeKind, JournalSharing, Scope};
use feltsense_server::PgStore;
use feltsense_store::Store;
use std::collections::BTreeSet;
use uuid::Uuid;

/// How many people share with each clinician.
pub const CASELOAD: usize = 50;

/// The clinicians' lines, for `people` (the seeded people's ids, in order);
/// `like` lends its pool, keys and clinic.
pub async fn seed(
    like: &Person,
    people: &[Uuid],
    clinicians: usize,
) -> Result<Vec<String>, Failure> {
    if people.is_empty() {
        return Err("there are no seeded people to share with the clinicians".into());
    }
    let mut shared = BTreeSet::new();
    let mut lines = Vec::with_capacity(clinicians);
    for c in 0..clinicians {
        let id = clinician(like, c).await?;
        let theirs: Vec<Uuid> = (0..CASELOAD.min(people.len()))
            .map(|j| people[(c * CASELOAD + j) % people.len()])
            .collect();
        for &person in &theirs {
            grant(like, person, id).await?;
            if shared.insert(person) {
                questionnaires(like, person).await?;
            }
        }
        let ids: Vec<String> = theirs.iter().map(Uuid::to_string).collect();
        lines.push(format!("{} {}", session(like, id).await?, ids.join(",")));
    }
    Ok(lines)
}

/// A clinician account, invited and set up with a second factor.
async fn clinician(like: &Person, c: usize) -> Result<Uuid, Failure> {
    let invite = Invite {
        tenant: like.tenant,
        purpose: Purpose::Invite,
        role: Role::Clinician,
        email: format!("clinician-{c}-{}@example.org", Uuid::now_v7().simple()),
        account: None,
    };
    let token = like.accounts.issue(&invite, None, "seed").await?;
    let new = NewAccount {
        id: Uuid::now_v7(),
        display_name: format!("Clinician {c}"),
        password: "a long enough seeded password".into(),
        second_factor: Some(second_factor::new_secret()),
    };
    let (account, _) = like
        .accounts
        .accept(&token, new, "seed")
        .await?
        .ok_or("the clinician's invite just issued was refused")?;
    Ok(account.id)
}

async fn grant(like: &Person, person: Uuid, clinician: Uuid) -> Result<(), Failure> {
    let draft = GrantDraft {
        grantee: clinician,
        grantee_kind: GranteeKind::Clinician,
        scopes: vec![Scope::CheckIns, Scope::Questionnaires],
        journal: JournalSharing::Off,
        starts_at: Utc::now() - Duration::minutes(1),
        ends_at: None,
        purpose: "seeded for the benchmark".into(),
    };
    grants::create(&like.pool, like.tenant, person, &draft).await?;
    Ok(())
}

/// Three PHQ-9s, two weeks apart, ending two days ago.
async fn questionnaires(like: &Person, person: Uuid) -> Result<(), Failure> {
    let (pool, key, tenant) = (like.pool.clone(), like.key.clone(), like.tenant);
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || -> Result<(), Failure> {
        let mut store = PgStore::open(pool, handle, &key, tenant, person)?;
        for (i, answer) in [2u8, 1, 0].into_iter().enumerate() {
            store.add_assessment(&Response {
                id: format!("seed-phq9-{i}"),
                instrument: Instrument::Phq9,
                at: (Utc::now() - Duration::days(30 - 14 * i as i64)).fixed_offset(),
                answers: vec![answer; 9],
            })?;
        }
        Ok(())
    })
    .await?
}

/// A full session, as `Accounts::second_factor` starts one once the code
/// is right: "TOKEN CSRF ID".
async fn session(like: &Person, id: Uuid) -> Result<String, Failure> {
    let account = like.accounts.get(id).await?.ok_or("no such clinician")?;
    let token = like
        .accounts
        .start_session(&account, Stage::Full, "seed")
        .await?;
    let session = like
        .accounts
        .session(&token)
        .await?
        .ok_or("the clinician's session just made is not live")?;
    Ok(format!("{token} {} {id}", session.csrf))
}
