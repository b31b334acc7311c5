//! Seeds a server's database for the load benchmark: PEOPLE people in one
//! new clinic, each invited and set up with a password (as the invite link
//! does), with DAYS days of check-ins (five a day, varied), and signed in.
//! Writes one line per person to OUT: their session cookie's value, their
//! CSRF token and their account id, for the load tool.
//!
//! ```text
//! eval "$(scripts/pg.sh start)"
//! cargo run --release -p feltsense-server --example seed -- 500 365 server.key sessions.txt
//! ```
//!
//! It migrates the database at `FELTSENSE_OWNER_URL` and writes as the
//! app role at `FELTSENSE_DATABASE_URL`, with the server key in KEY_FILE
//! (made if absent; the server must be started with the same one). The
//! sessions are made through `Accounts::start_session`, as a sign-in
//! does once the password is checked (checking 500 Argon2 hashes again
//! would measure nothing more).
//!
//! With `CLINICIANS CLINICIANS_OUT` after them, it also makes that many
//! clinicians, each shared with by 50 of the people, and writes their
//! sessions to CLINICIANS_OUT (see `support/clinicians.rs`).

use feltsense_core::imported::Sourced;
use feltsense_core::{
    Activation, BodyRegion, BodySensation, CheckIn, Context, FeelingRating, Sensation,
};
use feltsense_server::accounts::{Accounts, Invite, NewAccount, Purpose, Role, SealingKey, Stage};
use feltsense_server::{db, people, PgStore, Pool, ServerKey};
use feltsense_store::{ImportBatch, ImportMode, Store};
use std::io::Write as _;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

#[path = "support/clinicians.rs"]
mod clinicians;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// How many people are set up at once.
const AT_ONCE: usize = 6;

struct Plan {
    people: usize,
    days: u32,
    key_file: std::path::PathBuf,
    out: std::path::PathBuf,
    /// How many clinicians, and where their sessions go.
    clinicians: Option<(usize, std::path::PathBuf)>,
}

fn main() -> Result<(), Failure> {
    let plan = plan(std::env::args().skip(1).collect())?;
    let runtime = tokio::runtime::Runtime::new()?;
    let started = Instant::now();
    let (lines, theirs) = runtime.block_on(seed(&plan))?;
    write_lines(&plan.out, &lines)?;
    if let Some((clinicians, out)) = &plan.clinicians {
        write_lines(out, &theirs)?;
        println!(
            "{clinicians} clinicians, each shared with by {} people, signed in; sessions in {}",
            clinicians::CASELOAD,
            out.display()
        );
    }
    println!(
        "{} people with {} check-ins each, signed in, in {:.1} s; sessions in {}",
        plan.people,
        plan.days * 5,
        started.elapsed().as_secs_f64(),
        plan.out.display()
    );
    Ok(())
}

fn write_lines(path: &std::path::Path, lines: &[String]) -> Result<(), Failure> {
    let mut out = std::fs::File::create(path)?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    out.sync_all()?;
    Ok(())
}

fn plan(args: Vec<String>) -> Result<Plan, Failure> {
    let (people, days, key_file, out, clinicians) = match args.as_slice() {
        [p, d, k, o] => (p, d, k, o, None),
        [p, d, k, o, c, co] => (p, d, k, o, Some((c, co))),
        _ => return Err("usage: seed PEOPLE DAYS KEY_FILE OUT [CLINICIANS CLINICIANS_OUT] (for example: seed 500 365 server.key sessions.txt 20 clinicians.txt)".into()),
    };
    let number = |what: &str, text: &str| {
        text.parse::<usize>()
            .map_err(|_| format!("{what} '{text}' is not a whole number"))
    };
    Ok(Plan {
        people: number("PEOPLE", people)?,
        days: number("DAYS", days)? as u32,
        key_file: key_file.into(),
        out: out.into(),
        clinicians: match clinicians {
            Some((c, co)) => Some((number("CLINICIANS", c)?, co.into())),
            None => None,
        },
    })
}

fn var(name: &str) -> Result<String, Failure> {
    std::env::var(name).map_err(|_| {
        format!("{name} is not set: run `eval \"$(scripts/pg.sh start)\"` first").into()
    })
}

/// The people's lines, then the clinicians' (none unless asked for).
async fn seed(plan: &Plan) -> Result<(Vec<String>, Vec<String>), Failure> {
    let (mut owner, connection) =
        tokio_postgres::connect(&var("FELTSENSE_OWNER_URL")?, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    db::migrate(&mut owner).await?;
    let pool = db::pool(&var("FELTSENSE_DATABASE_URL")?, AT_ONCE * 2)?;
    let key = Arc::new(ServerKey::load_or_create(&plan.key_file)?);
    key.verify(&pool).await?;
    let sealing = Arc::new(SealingKey::from_file(&plan.key_file)?);
    let accounts = Arc::new(Accounts::new(pool.clone(), sealing));
    let tenant = Uuid::now_v7();
    let gate = Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..plan.people {
        let permit = Arc::clone(&gate).acquire_owned().await?;
        let person = Person {
            n,
            tenant,
            days: plan.days,
            pool: pool.clone(),
            key: Arc::clone(&key),
            accounts: Arc::clone(&accounts),
        };
        tasks.spawn(async move {
            let line = person.seed().await;
            drop(permit);
            line
        });
    }
    let mut lines = Vec::with_capacity(plan.people);
    while let Some(done) = tasks.join_next().await {
        lines.push(done??);
    }
    let Some((clinicians, _)) = plan.clinicians else {
        return Ok((lines, Vec::new()));
    };
    let ids = lines
        .iter()
        .map(|l| l.split(' ').nth(2).unwrap_or_default().parse())
        .collect::<Result<Vec<Uuid>, _>>()?;
    let like = Person {
        n: 0,
        tenant,
        days: plan.days,
        pool,
        key,
        accounts,
    };
    let theirs = clinicians::seed(&like, &ids, clinicians).await?;
    Ok((lines, theirs))
}

struct Person {
    n: usize,
    tenant: Uuid,
    days: u32,
    pool: Pool,
    key: Arc<ServerKey>,
    accounts: Arc<Accounts>,
}

impl Person {
    /// Their account, their store, their year, their session: one line.
    async fn seed(self) -> Result<String, Failure> {
        let id = self.account().await?;
        people::create(&self.pool, &self.key, self.tenant, id).await?;
        let (pool, key, tenant, days, n) = (
            self.pool.clone(),
            Arc::clone(&self.key),
            self.tenant,
            self.days,
            self.n,
        );
        let handle = tokio::runtime::Handle::current();
        tokio::task::spawn_blocking(move || -> Result<(), Failure> {
            let mut store = PgStore::open(pool, handle, &key, tenant, id)?;
            let year = checkins(n, days);
            let batch = ImportBatch {
                format: "feltsense",
                checkins: &year,
                journal: &[],
                bridges: &[],
                assessments: &[],
                safety_plan: None,
                fixed_items: None,
            };
            store.import_from(&batch, ImportMode::Add)?;
            Ok(())
        })
        .await??;
        self.session(id).await
    }

    async fn account(&self) -> Result<Uuid, Failure> {
        let email = format!("seed-{}-{}@example.org", self.n, Uuid::now_v7().simple());
        let invite = Invite {
            tenant: self.tenant,
            purpose: Purpose::Invite,
            role: Role::Person,
            email,
            account: None,
        };
        let token = self.accounts.issue(&invite, None, "seed").await?;
        let new = NewAccount {
            id: Uuid::now_v7(),
            display_name: format!("Person {}", self.n),
            password: "a long enough seeded password".into(),
            second_factor: None,
        };
        let (account, _) = self
            .accounts
            .accept(&token, new, "seed")
            .await?
            .ok_or("the invite just issued was refused")?;
        Ok(account.id)
    }

    async fn session(&self, id: Uuid) -> Result<String, Failure> {
        let account = self.accounts.get(id).await?.ok_or("no such account")?;
        let token = self
            .accounts
            .start_session(&account, Stage::Full, "seed")
            .await?;
        let session = self
            .accounts
            .session(&token)
            .await?
            .ok_or("the session just made is not live")?;
        Ok(format!("{token} {} {id}", session.csrf))
    }
}

/// `days` days of five check-ins each, ending today, varied by `n`.
fn checkins(n: usize, days: u32) -> Vec<Sourced<CheckIn>> {
    let mut random =
        Random(0x9e37_79b9_7f4a_7c15 ^ (n as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let today = chrono::Utc::now().date_naive();
    let mut all = Vec::with_capacity(days as usize * 5);
    for day in 0..days {
        let date = today - chrono::Days::new(u64::from(days - day));
        for slot in 0..5u32 {
            let hour = 8 + slot * 3;
            let minute = random.below(60) as u32;
            let at = date
                .and_hms_opt(hour, minute, 0)
                .expect("a time of day")
                .and_utc()
                .fixed_offset();
            let check_in = one(&mut random, Uuid::now_v7().to_string(), at);
            all.push(Sourced {
                key: check_in.id.clone(),
                record: check_in,
            });
        }
    }
    all
}

const WORDS: [&str; 16] = [
    "calm",
    "tired",
    "lonely",
    "numb",
    "anxious",
    "content",
    "sad",
    "irritated",
    "flat",
    "hopeful",
    "empty",
    "grateful",
    "bored",
    "tense",
    "happy",
    "proud",
];
const DOING: [&str; 6] = [
    "work",
    "commuting",
    "resting",
    "eating",
    "chores",
    "talking",
];
const WITH: [&str; 4] = ["alone", "partner", "colleagues", "friends"];
const PLACE: [&str; 4] = ["home", "office", "bus", "outside"];

fn one(random: &mut Random, id: String, at: chrono::DateTime<chrono::FixedOffset>) -> CheckIn {
    let nothing = random.below(10) == 0;
    if nothing {
        return CheckIn {
            nothing,
            ..blank(id, at)
        };
    }
    let feelings = (0..1 + random.below(3))
        .map(|_| FeelingRating {
            word: WORDS[random.below(WORDS.len())].into(),
            intensity: Some(1 + random.below(7) as u8),
        })
        .collect::<Vec<_>>();
    CheckIn {
        feelings: dedup(feelings),
        pleasantness: Some(random.below(9) as i8 - 4),
        energy: Some(random.below(9) as i8 - 4),
        clarity: random.maybe().then(|| random.below(11) as u8),
        body: body(random),
        showed: random
            .maybe()
            .then(|| WORDS[random.below(WORDS.len())].into()),
        context: Context {
            doing: Some(DOING[random.below(DOING.len())].into()),
            with: Some(WITH[random.below(WITH.len())].into()),
            place: Some(PLACE[random.below(PLACE.len())].into()),
        },
        note: (random.below(3) == 0).then(|| format!("seeded note {}", random.below(10_000))),
        ..blank(id, at)
    }
}

fn blank(id: String, at: chrono::DateTime<chrono::FixedOffset>) -> CheckIn {
    CheckIn {
        id,
        at,
        nothing: false,
        feelings: Vec::new(),
        pleasantness: None,
        energy: None,
        clarity: None,
        body: Vec::new(),
        body_overall: None,
        showed: None,
        context: Context::default(),
        note: None,
        mood: None,
        origin: Default::default(),
        items: Vec::new(),
    }
}

fn dedup(mut feelings: Vec<FeelingRating>) -> Vec<FeelingRating> {
    let mut seen = std::collections::HashSet::new();
    feelings.retain(|f| seen.insert(f.word.clone()));
    feelings
}

fn body(random: &mut Random) -> Vec<BodySensation> {
    if !random.maybe() {
        return Vec::new();
    }
    vec![BodySensation {
        region: [BodyRegion::Chest, BodyRegion::Stomach, BodyRegion::Hands][random.below(3)],
        activation: Some(Activation::More),
        sensation: Some([Sensation::Tight, Sensation::Heavy][random.below(2)]),
        intensity: Some(1 + random.below(7) as u8),
    }]
}

/// xorshift64: varied enough for made-up days, and repeatable.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn maybe(&mut self) -> bool {
        self.next() & 1 == 1
    }
}
