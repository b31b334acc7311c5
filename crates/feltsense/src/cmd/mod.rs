//! One module per subcommand, each with its `Args` and `run`.

pub mod analyze;
pub mod assess;
pub mod backup;
pub mod bridge;
pub mod change_passphrase;
pub mod checkin;
mod editor;
pub mod export;
pub mod forget;
mod guided;
pub mod help_now;
pub mod import;
pub mod init;
pub mod insights;
pub mod items;
pub mod journal;
pub mod lock;
pub mod log;
pub mod notice;
pub mod practice;
mod present;
mod pretty;
pub mod remind;
pub mod report;
pub mod restore;
mod safety;
pub mod safety_plan;
pub mod serve;
pub mod server;
pub mod server_audit;
pub mod unlock;
pub mod vocabulary;

use anyhow::Context as _;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` as a whole or not at all: a temporary file
/// beside it, synced, then renamed over it (the rename keeps its 0600).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .context("the output path needs a file name")?
        .to_string_lossy();
    let failed = |e| anyhow::Error::new(e).context(format!("could not write {}", path.display()));
    let (tmp, mut file) = create_private(dir, &name, random_suffix).map_err(failed)?;
    let mut write = || -> std::io::Result<()> {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })
}

/// Says on standard error which stored records the reads so far left out
/// because they could not be read, naming each; they stay stored.
pub fn warn_skipped(store: &impl feltsense_store::Store) {
    let skipped = store.skipped();
    if skipped.is_empty() {
        return;
    }
    let n = skipped.len();
    eprintln!(
        "Note: {n} stored record{} could not be read, so {} left out here. \
         {} still stored, unchanged:",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it is" } else { "they are" },
        if n == 1 { "It is" } else { "They are" },
    );
    for s in skipped {
        eprintln!("  {s}");
    }
}

/// A new file `.NAME.SUFFIX.partial` in `dir`, made by us alone: created
/// exclusively (O_EXCL), owner-only, never through a symbolic link
/// (O_NOFOLLOW), under an unpredictable name. Another user who plants a
/// file or a link in a shared directory beforehand receives nothing; a
/// name already taken is passed over for a fresh one.
fn create_private(
    dir: &Path,
    name: &str,
    mut suffix: impl FnMut() -> std::io::Result<String>,
) -> std::io::Result<(PathBuf, File)> {
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.{}.partial", suffix()?));
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp);
        match created {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "every temporary name tried beside it was taken",
    ))
}

/// 96 random bits from the operating system, as hex.
fn random_suffix() -> std::io::Result<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// "1 check-in", "2 check-ins": a count with its noun, singular for one.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
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

/// The time given with `--at` (parsed as `checkin --at` is: local time or
/// RFC 3339, inside [`accepted`]), or now when there is none.
pub fn at_flag(text: Option<&str>) -> anyhow::Result<chrono::DateTime<chrono::FixedOffset>> {
    let Some(text) = text else {
        return Ok(now());
    };
    let refused = |e: &dyn std::fmt::Display| crate::failure::input(format!("--at: {e}"));
    let at = checkin::parse_time(text).map_err(|e| refused(&e))?;
    accepted().check(at).map_err(|e| refused(&e))?;
    Ok(at)
}

/// The times a record may have, as of now (see `feltsense_core::when`).
pub fn accepted() -> feltsense_core::when::TimeRange {
    feltsense_core::when::TimeRange::around(chrono::Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_planted_link_or_file_is_passed_over_and_the_output_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "theirs").unwrap();
        // Links planted at the names tried first: the old predictable one,
        // then a "random" one; a plain file at a third.
        let planted = [".out.html.a.partial", ".out.html.b.partial"];
        for p in planted {
            std::os::unix::fs::symlink(&victim, dir.path().join(p)).unwrap();
        }
        std::fs::write(dir.path().join(".out.html.c.partial"), "theirs").unwrap();
        let mut names = ["a", "b", "c", "d"].into_iter();
        let (tmp, mut file) =
            create_private(dir.path(), "out.html", || Ok(names.next().unwrap().into())).unwrap();
        assert_eq!(tmp, dir.path().join(".out.html.d.partial"));
        file.write_all(b"private").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "theirs");
        let mode = std::fs::metadata(&tmp).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_link_at_the_old_predictable_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join(".out.json.partial")).unwrap();
        let out = dir.path().join("out.json");
        write_file_atomically(&out, b"private").unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "private");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "");
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 3, "no temporary file is left behind");
    }

    #[test]
    fn random_names_differ() {
        assert_ne!(random_suffix().unwrap(), random_suffix().unwrap());
        assert_eq!(random_suffix().unwrap().len(), 24);
    }
}
