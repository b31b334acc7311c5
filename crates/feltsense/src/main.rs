//! The `feltsense` command: one module per subcommand under `cmd/`; this
//! file parses the command line, dispatches with one `match`, and turns
//! errors into messages and exit codes.

mod agent;
mod cmd;
mod config;
mod failure;
mod settings;
mod usage;

use clap::{Parser, Subcommand};
use failure::Failure;
use settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  something went wrong reading or writing files
  2  bad input: a flag or value, an unknown feeling word, a malformed import
     file, or a passphrase that does not open the store
  3  not there: no store yet (run `feltsense init`), or no check-in with that id

Environment:
  FELTSENSE_DATA_DIR     where the encrypted store lives
                         (default: $XDG_DATA_HOME/feltsense)
  FELTSENSE_PASSPHRASE   the passphrase, for scripts; otherwise it is asked for
  FELTSENSE_NEW_PASSPHRASE  the new one for `change-passphrase`, for scripts";

/// Notice what you feel again: a private, local-first place for check-ins
/// when feelings arrive muted. Everything stays on this machine, encrypted.
#[derive(Debug, Parser)]
#[command(name = "feltsense", version, after_help = EXIT_CODES)]
struct Cli {
    /// Where the encrypted store lives.
    #[arg(long, global = true, env = "FELTSENSE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// The configuration file (default: $XDG_CONFIG_HOME/feltsense/config.toml).
    #[arg(long, global = true, env = "FELTSENSE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the app in your browser, on this computer only (127.0.0.1).
    Serve(cmd::serve::Args),
    /// The app for many people, each in their own account, on PostgreSQL over HTTPS.
    Server(Box<cmd::server::Args>),
    /// Create the encrypted store (asks for a passphrase twice).
    Init(cmd::init::Args),
    /// Check in: what is there right now. Without flags it walks you through.
    #[command(allow_negative_numbers = true)]
    Checkin(Box<cmd::checkin::Args>),
    /// List check-ins, newest first.
    Log(cmd::log::Args),
    /// Write all check-ins to a file (JSON keeps everything; CSV for spreadsheets).
    Export(cmd::export::Args),
    /// Bring records in: a feltsense JSON export, Daylio CSV or ESM CSV (--from). All or nothing.
    ///
    /// Importing the same file twice adds nothing. After a corrected
    /// --mood-map or mapping, --replace swaps what the earlier import of the
    /// same rows brought; --dry-run shows what would be added, replaced and
    /// left unchanged first.
    Import(cmd::import::Args),
    /// Delete one check-in for good.
    Forget(cmd::forget::Args),
    /// Your figures over a window, a numbness profile and the weekly trend.
    Insights(cmd::insights::Args),
    /// Emotion-dynamics metrics per participant of an experience-sampling CSV.
    Analyze(cmd::analyze::Args),
    /// Write in your journal; feltsense notices the feelings in the words.
    Journal(cmd::journal::Args),
    /// Read any text as the journal would, one entry a line; stores nothing.
    Notice(cmd::notice::Args),
    /// Write or read your safety plan (six steps, kept encrypted).
    SafetyPlan(cmd::safety_plan::Args),
    /// If you are not safe right now: crisis lines at once, no passphrase needed.
    HelpNow(cmd::help_now::Args),
    /// Try a bridge back to feeling, with three questions before and after.
    Bridge(cmd::bridge::Args),
    /// What your bridges seem to do for you, ranked with honest uncertainty.
    Bridges(cmd::bridge::RankArgs),
    /// A guided practice: body-scan, grounding, breathing or name-it.
    Practice(cmd::practice::Args),
    /// Experience-sampling prompts: a schedule, a calendar file, a notification.
    Remind(cmd::remind::Args),
    /// PHQ-9, GAD-7, PCL-5 or WHO-5: screening questionnaires, scored with their bands.
    Assess(cmd::assess::Args),
    /// One page for a therapist: a self-contained HTML report (prints to PDF).
    Report(cmd::report::Args),
    /// Write an encrypted copy of your store to a new file, even while the app runs.
    Backup(cmd::backup::Args),
    /// Put a backup back in place of your store (the one replaced is kept beside it).
    Restore(cmd::restore::Args),
    /// Encrypt your store under a new passphrase (stop the web app first).
    ChangePassphrase(cmd::change_passphrase::Args),
    /// Keep your store open for a while (default 8h) without the passphrase each time.
    Unlock(cmd::unlock::Args),
    /// Drop the key `unlock` keeps, now: the next command asks again.
    Lock(cmd::lock::Args),
    /// The key agent `unlock` starts (not for direct use).
    #[command(hide = true)]
    Agent(cmd::unlock::AgentArgs),
    /// Print the commented default configuration file.
    DefaultConfig,
    /// Show the feeling words, their family and what each may be signalling.
    Vocabulary(cmd::vocabulary::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => match usage::explain(&e) {
            Some(message) => {
                eprintln!("feltsense: {message}");
                return ExitCode::from(failure::INPUT);
            }
            None => e.exit(),
        },
    };
    let config = match config::load(&config::path(cli.config)) {
        Ok(config) => config,
        Err(e) => {
            let failure = Failure::from(e);
            eprintln!("feltsense: {}", failure.message);
            return ExitCode::from(failure.code);
        }
    };
    let settings = Settings::from_env(cli.data_dir, config);
    let result = match cli.command {
        Command::Serve(args) => cmd::serve::run(&settings, args),
        Command::Server(args) => cmd::server::run(*args),
        Command::Init(args) => cmd::init::run(&settings, args),
        Command::Checkin(args) => cmd::checkin::run(&settings, *args),
        Command::Log(args) => cmd::log::run(&settings, args),
        Command::Unlock(args) => cmd::unlock::run(&settings, args),
        Command::Lock(args) => cmd::lock::run(&settings, args),
        Command::Agent(args) => cmd::unlock::agent(args),
        Command::Export(args) => cmd::export::run(&settings, args),
        Command::Import(args) => cmd::import::run(&settings, args),
        Command::Forget(args) => cmd::forget::run(&settings, args),
        Command::Vocabulary(args) => cmd::vocabulary::run(args),
        Command::Journal(args) => cmd::journal::run(&settings, args),
        Command::Notice(args) => cmd::notice::run(args),
        Command::SafetyPlan(args) => cmd::safety_plan::run(&settings, args),
        Command::HelpNow(args) => cmd::help_now::run(&settings, args),
        Command::Remind(args) => cmd::remind::run(&settings, args),
        Command::Assess(args) => cmd::assess::run(&settings, args),
        Command::Report(args) => cmd::report::run(&settings, args),
        Command::Backup(args) => cmd::backup::run(&settings, args),
        Command::Restore(args) => cmd::restore::run(&settings, args),
        Command::ChangePassphrase(args) => cmd::change_passphrase::run(&settings, args),
        Command::DefaultConfig => {
            print!("{}", config::DEFAULT);
            Ok(())
        }
        Command::Practice(args) => cmd::practice::run(&settings, args),
        Command::Bridge(args) => cmd::bridge::run(&settings, args),
        Command::Bridges(args) => cmd::bridge::rank(&settings, args),
        Command::Insights(args) => cmd::insights::run(&settings, args),
        Command::Analyze(args) => cmd::analyze::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let failure = Failure::from(e);
            eprintln!("feltsense: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
