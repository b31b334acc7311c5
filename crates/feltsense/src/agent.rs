//! The key agent behind `feltsense unlock`: a small process of the person's
//! own that holds one store's raw key in memory and hands it to later
//! commands over a Unix socket, until its time runs out or `lock` stops it.
//! Nothing is written to disk but the socket itself, which lives in
//! `$XDG_RUNTIME_DIR/feltsense/` (a directory of 0700, the socket 0600, so
//! only the same user can connect).
//!
//! The protocol is one line each way: `key` → the key's text, `lock` → `ok`
//! (and the agent ends).

use feltsense_store::RawKey;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a command waits for the agent's answer.
const ANSWER_WAIT: Duration = Duration::from_secs(2);

/// The socket of the agent for the store at `store`, if there is a runtime
/// directory: one agent per store, named by a hash of its path.
pub fn socket_path(store: &Path) -> Option<PathBuf> {
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").filter(|v| !v.is_empty())?;
    let store = std::fs::canonicalize(store).unwrap_or_else(|_| store.to_path_buf());
    let name = format!(
        "agent-{:016x}.sock",
        fnv1a(store.as_os_str().as_encoded_bytes())
    );
    Some(PathBuf::from(runtime).join("feltsense").join(name))
}

/// FNV-1a, 64 bits: the same name from every process and every build.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The key the agent holds for `store`, if one is running and answers.
pub fn fetch(store: &Path) -> Option<RawKey> {
    let answer = ask(&socket_path(store)?, "key").ok()?;
    RawKey::from_spec(&answer)
}

/// Stops the agent for `store`, if any; true if one was running.
pub fn forget(store: &Path) -> bool {
    let Some(socket) = socket_path(store) else {
        return false;
    };
    let stopped = ask(&socket, "lock").is_ok_and(|a| a == "ok");
    // A socket whose agent died (SIGKILL, a reboot of a kept /run) is left.
    let _ = std::fs::remove_file(&socket);
    stopped
}

fn ask(socket: &Path, question: &str) -> std::io::Result<String> {
    let mut stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(ANSWER_WAIT))?;
    stream.set_write_timeout(Some(ANSWER_WAIT))?;
    writeln!(stream, "{question}")?;
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer)?;
    Ok(answer.trim_end().to_string())
}

/// Makes the owner-only directory the socket lives in, and refuses one
/// that another user owns or others can enter.
pub fn prepare_dir(socket: &Path) -> std::io::Result<()> {
    let dir = socket.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    let mine = std::fs::metadata("/proc/self").map(|m| m.uid()).ok();
    if !meta.is_dir() || mine.is_some_and(|me| me != meta.uid()) {
        return Err(std::io::Error::other(format!(
            "{} is not a directory of your own",
            dir.display()
        )));
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Binds the agent's socket (0600), replacing a stale one.
pub fn bind(socket: &Path) -> std::io::Result<UnixListener> {
    prepare_dir(socket)?;
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket)?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Answers on `listener` with `key` until `until`, or until asked to lock;
/// then removes the socket. The key leaves with the process.
pub fn serve(listener: &UnixListener, socket: &Path, key: &RawKey, until: Instant) {
    let expiry_socket = socket.to_path_buf();
    std::thread::spawn(move || {
        std::thread::sleep(until.saturating_duration_since(Instant::now()));
        let _ = std::fs::remove_file(&expiry_socket);
        std::process::exit(0);
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if answer(stream, key) == Some(Ending::Lock) {
            break;
        }
    }
    let _ = std::fs::remove_file(socket);
}

#[derive(PartialEq)]
enum Ending {
    Lock,
}

fn answer(stream: UnixStream, key: &RawKey) -> Option<Ending> {
    stream.set_read_timeout(Some(ANSWER_WAIT)).ok()?;
    let mut reader = BufReader::new(&stream);
    let mut question = String::new();
    reader.read_line(&mut question).ok()?;
    let mut out = &stream;
    match question.trim_end() {
        "key" => writeln!(out, "{}", key.spec()).ok().and(None),
        "lock" => {
            let _ = writeln!(out, "ok");
            Some(Ending::Lock)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_store_has_its_own_socket_name() {
        assert_ne!(fnv1a(b"/a/feltsense.db"), fnv1a(b"/b/feltsense.db"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
