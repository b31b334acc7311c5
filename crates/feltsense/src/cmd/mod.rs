//! One module per subcommand, each with its `Args` and `run`.

pub mod analyze;
pub mod assess;
pub mod bridge;
pub mod checkin;
pub mod export;
pub mod forget;
mod guided;
pub mod help_now;
pub mod import;
pub mod init;
pub mod insights;
pub mod journal;
pub mod log;
pub mod notice;
pub mod practice;
mod present;
pub mod remind;
pub mod report;
mod safety;
pub mod safety_plan;
pub mod serve;
pub mod vocabulary;

use anyhow::Context as _;
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Writes `bytes` to `path` as a whole or not at all: a temporary file
/// (owner-only) beside it, synced, then renamed over it.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .context("the output path needs a file name")?;
    let tmp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let write = || -> std::io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        anyhow::Error::new(e).context(format!("could not write {}", path.display()))
    })
}

/// One answer typed on standard input after `prompt`; `None` when the
/// input is closed.
pub fn guided_line(prompt: &str) -> std::io::Result<Option<String>> {
    print!("{prompt}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

/// The moment a record is made: local time with its offset, in whole
/// seconds (finer than anyone needs, and tidier in exports).
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    chrono::Local::now()
        .fixed_offset()
        .with_nanosecond(0)
        .expect("0 ns is valid")
}

/// The times a record may have, as of now (see `feltsense_core::when`).
pub fn accepted() -> feltsense_core::when::TimeRange {
    feltsense_core::when::TimeRange::around(chrono::Utc::now())
}
