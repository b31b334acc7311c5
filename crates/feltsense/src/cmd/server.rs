//! `feltsense server`: the same app for many people, each in their own
//! account, on PostgreSQL, over HTTPS (or behind a proxy that terminates
//! TLS). `server migrate`, `server admin create-admin EMAIL` and
//! `server rotate-key` look after it.

use crate::failure;
use anyhow::Context as _;
use feltsense_server::accounts::{Accounts, Invite, Purpose, Role, SealingKey};
use feltsense_server::serve;
use feltsense_server::site::Site;
use feltsense_server::ServerKey;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL database (postgres://user:password@host:port/db).
    #[arg(
        long,
        global = true,
        env = "FELTSENSE_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// The server key (32 bytes; made owner-only if absent). Back it up
    /// beside the database dumps: without it they cannot be read.
    #[arg(long, global = true, env = "FELTSENSE_KEY_FILE", value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// The address people reach the server at, such as
    /// https://feltsense.example.org (checked against Host and Origin; used
    /// in links).
    #[arg(long, global = true, env = "FELTSENSE_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// The TLS certificate chain (PEM), with --tls-key.
    #[arg(
        long,
        value_name = "FILE",
        requires = "tls_key",
        conflicts_with = "behind_proxy"
    )]
    tls_cert: Option<PathBuf>,
    /// The TLS certificate's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// A proxy in front terminates TLS (the client's address is the last
    /// X-Forwarded-For entry).
    #[arg(long)]
    behind_proxy: bool,
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8443", value_name = "ADDRESS")]
    listen: SocketAddr,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Bring the database's schema up to date (with the owner's URL).
    Migrate,
    /// Administration from the command line.
    #[command(subcommand)]
    Admin(Admin),
    /// Seal everything under a new server key.
    RotateKey {
        /// The new key (made if absent); use it as --key-file afterwards.
        #[arg(long, value_name = "FILE")]
        new_key_file: PathBuf,
    },
    /// The audit trail: check its hash chains, or export it as FHIR.
    Audit(super::server_audit::AuditArgs),
    /// Grants as FHIR R4 Consent resources.
    Consent(super::server_audit::ConsentArgs),
}

#[derive(Debug, clap::Subcommand)]
enum Admin {
    /// A new clinic with its first administrator: prints a one-time setup link.
    CreateAdmin {
        /// The administrator's email.
        email: String,
    },
}

pub fn run(mut args: Args) -> anyhow::Result<()> {
    match args.command.take() {
        Some(Command::Audit(audit)) => return super::server_audit::run_audit(audit),
        Some(Command::Consent(consent)) => return super::server_audit::run_consent(consent),
        command => args.command = command,
    }
    let url = args.database_url.clone().ok_or_else(|| {
        failure::input(
            "the server needs a PostgreSQL database: give --database-url postgres://user:password@host:port/database \
             (or set FELTSENSE_DATABASE_URL). For a throwaway one to try it: eval \"$(scripts/pg.sh start)\"",
        )
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the server's runtime")?;
    runtime.block_on(async move {
        let pool = serve::pool(&url).map_err(|e| failure::input(format!("--database-url: {e}")))?;
        match &args.command {
            Some(Command::Migrate) => migrate(&pool).await,
            Some(Command::Admin(Admin::CreateAdmin { email })) => {
                create_admin(&args, pool, email).await
            }
            Some(Command::RotateKey { new_key_file }) => {
                rotate_key(&args, pool, new_key_file).await
            }
            Some(Command::Audit(_) | Command::Consent(_)) => unreachable!("answered above"),
            None => start(&args, pool).await,
        }
    })
}

fn key_file(args: &Args) -> anyhow::Result<PathBuf> {
    args.key_file.clone().ok_or_else(|| {
        failure::input("the server needs its key file: give --key-file FILE (or set FELTSENSE_KEY_FILE); it is made there if absent")
    })
}

fn site(args: &Args) -> anyhow::Result<Site> {
    let url = args.public_url.as_deref().ok_or_else(|| {
        failure::input("the server needs the address people reach it at: give --public-url https://host (or set FELTSENSE_PUBLIC_URL)")
    })?;
    let mut site = Site::parse(url).map_err(|e| failure::input(format!("--public-url: {e}")))?;
    site.behind_proxy = args.behind_proxy;
    Ok(site)
}

async fn migrate(pool: &feltsense_server::Pool) -> anyhow::Result<()> {
    let mut client = pool.get().await.context("could not reach the database")?;
    let applied = feltsense_server::db::migrate(&mut client)
        .await
        .context("could not bring the schema up to date (is this the owner's URL?)")?;
    if applied.is_empty() {
        println!("The schema was up to date already.");
    } else {
        println!("Applied: {}.", applied.join(", "));
    }
    Ok(())
}

async fn create_admin(
    args: &Args,
    pool: feltsense_server::Pool,
    email: &str,
) -> anyhow::Result<()> {
    let site = site(args)?;
    let key_file = key_file(args)?;
    serve::ready_schema(&pool).await?;
    serve::verify_key(&pool, &key_file)
        .await
        .map_err(|e| failure::input(format!("--key-file: {e:#}")))?;
    let accounts = Accounts::new(pool, Arc::new(SealingKey::from_file(&key_file)?));
    if accounts.email_taken(email).await? {
        return Err(failure::input(format!(
            "there is already an account for {email}"
        )));
    }
    let invite = Invite {
        tenant: uuid::Uuid::now_v7(),
        purpose: Purpose::Setup,
        role: Role::Admin,
        email: email.trim().to_string(),
        account: None,
    };
    let token = accounts.issue(&invite, None, "command line").await?;
    println!("A new clinic, and a link for its first administrator ({email}) to choose a password and set up a second factor:\n");
    println!("  {}/setup/{token}\n", site.origin());
    println!("It works once, within three days.");
    Ok(())
}

async fn rotate_key(
    args: &Args,
    pool: feltsense_server::Pool,
    new_file: &std::path::Path,
) -> anyhow::Result<()> {
    let old_file = key_file(args)?;
    serve::verify_key(&pool, &old_file)
        .await
        .map_err(|e| failure::input(format!("--key-file: {e:#}")))?;
    let old = ServerKey::load_or_create(&old_file)?;
    let new = ServerKey::load_or_create(new_file)?;
    let rotated = feltsense_server::rotate_key(&pool, &old, &new).await?;
    println!(
        "Rewrapped {} people's keys and resealed {} second-factor secrets and {} calendar-feed secrets under {}, \
         all in one transaction. Use it as --key-file from now on (calendar-feed addresses stay as they are), \
         and keep the old key until a backup under the new one is made.",
        rotated.people,
        rotated.second_factors,
        rotated.feeds,
        new_file.display()
    );
    Ok(())
}

async fn start(args: &Args, pool: feltsense_server::Pool) -> anyhow::Result<()> {
    let site = site(args)?;
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(serve::tls(cert, key).map_err(|e| failure::input(format!("{e:#}")))?),
        _ if site.secure() && !args.behind_proxy => {
            return Err(failure::input(
                "an https:// address needs --tls-cert and --tls-key, or --behind-proxy when a proxy in front terminates TLS",
            ))
        }
        _ => None,
    };
    let applied = serve::ready_schema(&pool).await?;
    if !applied.is_empty() {
        println!("Brought the schema up to date: {}.", applied.join(", "));
    }
    let key_file = key_file(args)?;
    serve::verify_key(&pool, &key_file)
        .await
        .map_err(|e| failure::input(format!("--key-file: {e:#}")))?;
    let server = serve::server(pool, &key_file, site.clone())?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("could not listen on {}", args.listen))?;
    println!(
        "feltsense server is listening on {} for {}. Stop with Ctrl-C.",
        args.listen,
        site.origin()
    );
    serve::serve(listener, tls, server)
        .await
        .context("the server stopped")
}
