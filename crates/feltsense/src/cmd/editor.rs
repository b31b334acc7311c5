//! A journal entry written in `$EDITOR`: the text sits in a private file
//! in memory (`$XDG_RUNTIME_DIR`, else /dev/shm) only while the editor
//! runs. If feltsense is ended meanwhile by a signal it can catch (SIGHUP
//! when the terminal closes, SIGTERM, SIGINT, SIGQUIT), it stops the
//! editor, removes the file and exits. A SIGKILL cannot be caught: the
//! file it leaves is found by the next journal command, saved into the
//! encrypted store and removed ([`recover`]).

use crate::failure;
use feltsense_core::JournalEntry;
use feltsense_store::Store;
use std::fs::OpenOptions;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PREFIX: &str = "feltsense-journal-";

/// The editor and its file, shared with the thread that waits for signals.
#[derive(Default)]
struct Session {
    file: Option<PathBuf>,
    editor: Option<Child>,
}

/// Where drafts live while the editor runs: memory, never a disk.
pub fn drafts_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(|| PathBuf::from("/dev/shm"))
}

/// Writes the entry in $VISUAL or $EDITOR (else nano); the text, once the
/// editor ends well.
pub fn edit() -> anyhow::Result<String> {
    let session = Arc::new(Mutex::new(Session::default()));
    guard(Arc::clone(&session))?;
    let path = drafts_dir().join(format!(
        "{PREFIX}{}-{}.txt",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    ));
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)?;
    lock(&session).file = Some(path.clone());
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "nano".into());
    let status = match std::process::Command::new(&editor).arg(&path).spawn() {
        Ok(child) => {
            lock(&session).editor = Some(child);
            wait(&session)
        }
        Err(e) => Err(e),
    };
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    lock(&session).file = None;
    match status {
        Ok(s) if s.success() => Ok(text?),
        Ok(_) => Err(failure::input(format!(
            "{editor} stopped without saving; nothing was saved"
        ))),
        Err(e) => Err(failure::input(format!(
            "could not start the editor '{editor}' ({e}); set EDITOR, or use --text"
        ))),
    }
}

fn lock(session: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    session
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Waits for the editor, letting go of the session between looks so the
/// signal thread can always reach it.
fn wait(session: &Mutex<Session>) -> std::io::Result<std::process::ExitStatus> {
    loop {
        if let Some(editor) = lock(session).editor.as_mut() {
            if let Some(status) = editor.try_wait()? {
                return Ok(status);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Catches SIGHUP, SIGTERM, SIGINT and SIGQUIT from here on, for the rest
/// of the run: on any of them the editor is stopped, the draft removed,
/// and feltsense exits as the signal would have ended it (128 + number).
/// Returns once the handlers are in place.
fn guard(session: Arc<Mutex<Session>>) -> anyhow::Result<()> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build();
        let Ok(runtime) = runtime else {
            let _ = ready_tx.send(false);
            return;
        };
        let number = runtime.block_on(first_signal(ready_tx));
        if let Some(number) = number {
            clean_up(&session);
            std::process::exit(128 + number);
        }
    });
    match ready_rx.recv() {
        Ok(true) => Ok(()),
        _ => Err(anyhow::anyhow!(
            "could not prepare the editor safely (signal handlers); use --text or standard input"
        )),
    }
}

/// The number of the first of the four signals to arrive.
async fn first_signal(ready: std::sync::mpsc::Sender<bool>) -> Option<i32> {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut hup), Ok(mut term), Ok(mut int), Ok(mut quit)) = (
        signal(SignalKind::hangup()),
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::quit()),
    ) else {
        let _ = ready.send(false);
        return None;
    };
    let _ = ready.send(true);
    tokio::select! {
        _ = hup.recv() => Some(libc::SIGHUP),
        _ = term.recv() => Some(libc::SIGTERM),
        _ = int.recv() => Some(libc::SIGINT),
        _ = quit.recv() => Some(libc::SIGQUIT),
    }
}

fn clean_up(session: &Mutex<Session>) {
    let mut session = lock(session);
    if let Some(editor) = session.editor.as_mut() {
        // Stopped first, so it cannot write the file again once removed.
        let _ = editor.kill();
        let _ = editor.wait();
    }
    if let Some(file) = session.file.take() {
        let _ = std::fs::remove_file(file);
    }
}

/// Saves into the encrypted store, and removes, every draft a journal
/// session left behind when it was killed before it could clean up
/// (SIGKILL, a crash, a power cut of a laptop that suspends to memory).
/// Called by every journal command once the store is open.
pub fn recover(store: &mut impl Store) -> anyhow::Result<()> {
    for path in leftovers(&drafts_dir()) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.trim().is_empty() {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let entry = match JournalEntry::new(uuid::Uuid::now_v7().to_string(), written(&path), &text)
        {
            Ok(entry) => entry,
            Err(e) => {
                eprintln!(
                    "Journal text from an editor session that was cut off is still in {} ({e}); \
                     it was left as it is.",
                    path.display()
                );
                continue;
            }
        };
        store.add_journal(&entry)?;
        let _ = std::fs::remove_file(&path);
        eprintln!(
            "Found journal text from an editor session that ended before it could be saved \
             ({}). It is now in your journal, encrypted (id {}); \
             `feltsense journal forget {}` removes it.\n",
            entry.at.format("%a %d %b %H:%M"),
            entry.id,
            entry.id
        );
    }
    Ok(())
}

/// When the draft was last written (now, if that time is not one a
/// record can have).
fn written(path: &Path) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).fixed_offset())
        .and_then(|t| t.with_nanosecond(0))
        .filter(|t| super::accepted().contains(*t))
        .unwrap_or_else(super::now)
}

/// Our own drafts in `dir` whose feltsense is no longer running.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(me) = std::fs::metadata("/proc/self").map(|m| m.uid()) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let ours = e
                .path()
                .symlink_metadata()
                .is_ok_and(|m| m.is_file() && m.uid() == me);
            ours && name.ends_with(".txt")
                && name.strip_prefix(PREFIX).is_some_and(|rest| !running(rest))
        })
        .map(|e| e.path())
        .collect()
}

/// Whether the feltsense that made a draft (its pid leads the rest of the
/// name) still runs; a pid now used by another program does not count.
fn running(rest: &str) -> bool {
    let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
        return false;
    };
    std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "feltsense")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_drafts_of_ended_runs_are_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let me = std::process::id();
        let ended = format!("{PREFIX}4194999-abc.txt"); // above the usual pid_max
        let old = format!("{PREFIX}0190abcd-1234-7abc-8def-0123456789ab.txt");
        for name in [
            &ended,
            &old,
            &format!("{PREFIX}{me}-abc.txt"),
            &"notes.txt".into(),
        ] {
            std::fs::write(dir.path().join(name), "words").unwrap();
        }
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join(format!("{PREFIX}1-x.txt")))
            .unwrap();
        let mut found: Vec<String> = leftovers(dir.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        // This test binary is not called feltsense, so its own pid counts
        // as ended too; a link is never ours to read.
        let mut expected = vec![old, ended, format!("{PREFIX}{me}-abc.txt")];
        expected.sort();
        assert_eq!(found, expected);
    }
}
