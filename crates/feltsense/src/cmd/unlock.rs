//! `feltsense unlock [--for 8h]`: the store's key derived once from the
//! passphrase and held by a small agent process (see `agent.rs`), so the
//! commands that follow open the store without asking and without the
//! slow derivation. `feltsense lock` ends it early.

use crate::agent;
use crate::failure;
use crate::settings::{self, Settings};
use feltsense_store::{RawKey, SqliteStore, StoreError};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest an unlock may last: one day.
const MAX_SECONDS: u64 = 24 * 60 * 60;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How long the store stays unlocked: `90s`, `30m`, `8h` (up to 24h).
    #[arg(long = "for", value_name = "SPAN", default_value = "8h")]
    span: String,
}

/// The agent itself, started by `unlock`; it reads the key on stdin.
#[derive(Debug, clap::Args)]
pub struct AgentArgs {
    #[arg(long)]
    socket: PathBuf,
    #[arg(long)]
    seconds: u64,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let seconds = parse_span(&args.span).map_err(|e| failure::input(format!("--for: {e}")))?;
    let path = settings.store_path();
    if !path.exists() {
        return Err(StoreError::Missing(path).into());
    }
    let socket = agent::socket_path(&path).ok_or_else(|| {
        failure::input("unlock needs XDG_RUNTIME_DIR (a private directory for this session)")
    })?;
    settings.secure_data_dir()?;
    let key = derive_proven(&path)?;
    agent::forget(&path);
    start_agent(&socket, seconds, &key)?;
    println!(
        "Unlocked for {}: commands open your store without the passphrase until then, \
         or until `feltsense lock`.",
        args.span.trim()
    );
    Ok(())
}

/// The raw key from the passphrase, proven by opening the store with it.
fn derive_proven(path: &std::path::Path) -> anyhow::Result<RawKey> {
    let derive = |p: &str| {
        let key = RawKey::derive(path, p)?;
        SqliteStore::open_with_key(path, &key).map(|_| key)
    };
    match std::env::var(settings::PASSPHRASE_VAR) {
        Ok(p) => Ok(derive(&p)?),
        Err(_) => settings::with_tries(3, |_| settings::passphrase("Passphrase: "), derive),
    }
}

/// Starts `feltsense agent` in its own process group, hands it the key on
/// a pipe, and waits until it says its socket is ready.
fn start_agent(socket: &std::path::Path, seconds: u64, key: &RawKey) -> anyhow::Result<()> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new(std::env::current_exe()?)
        .arg("agent")
        .arg("--socket")
        .arg(socket)
        .arg("--seconds")
        .arg(seconds.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()?;
    let mut stdin = child.stdin.take().expect("piped");
    writeln!(stdin, "{}", key.spec())?;
    drop(stdin);
    let mut ready = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut ready)?;
    if ready.trim_end() != "ready" {
        let _ = child.wait();
        return Err(failure::Failure {
            code: failure::IO,
            message: format!(
                "the key could not be kept: no socket could be made at {}. \
                 Your store stays locked; everything works as before.",
                socket.display()
            ),
        }
        .into());
    }
    Ok(())
}

/// `feltsense agent`: reads the key, binds the socket, says `ready`, and
/// answers until the time is up or `lock` comes.
pub fn agent(args: AgentArgs) -> anyhow::Result<()> {
    let mut text = String::new();
    std::io::stdin().take(256).read_to_string(&mut text)?;
    let key = RawKey::from_spec(text.trim_end())
        .ok_or_else(|| failure::input("the agent expects a key on standard input"))?;
    text.clear();
    let until = Instant::now() + Duration::from_secs(args.seconds.min(MAX_SECONDS));
    let listener = agent::bind(&args.socket)?;
    let mut out = std::io::stdout();
    writeln!(out, "ready")?;
    out.flush()?;
    agent::serve(&listener, &args.socket, &key, until);
    Ok(())
}

/// `90s`, `30m`, `8h`: from 1 second to [`MAX_SECONDS`], in seconds.
fn parse_span(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let bad = || format!("'{text}' is not a span like 90s, 30m or 8h (from 1s to 24h)");
    let unit = text.chars().last().ok_or_else(bad)?;
    let amount: u64 = text[..text.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        _ => return Err(bad()),
    };
    match amount.checked_mul(per) {
        Some(s @ 1..=MAX_SECONDS) => Ok(s),
        _ => Err(format!("'{text}' is outside 1s to 24h")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_checked_before_anything_happens() {
        assert_eq!(parse_span("2s"), Ok(2));
        assert_eq!(parse_span("8h"), Ok(8 * 3600));
        assert_eq!(parse_span(" 30m "), Ok(1800));
        for bad in [
            "",
            "8",
            "8d",
            "-1h",
            "h",
            "0s",
            "25h",
            "99999999999999999999h",
        ] {
            assert!(parse_span(bad).is_err(), "{bad}");
        }
        assert!(parse_span("25h").unwrap_err().contains("24h"));
    }
}
