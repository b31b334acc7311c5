//! Where things live and how the passphrase is found. Passed explicitly to
//! every command; there are no globals.

use crate::failure;
use feltsense_store::{SqliteStore, StoreError};
use std::io::IsTerminal;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub const PASSPHRASE_VAR: &str = "FELTSENSE_PASSPHRASE";
pub const NEW_PASSPHRASE_VAR: &str = "FELTSENSE_NEW_PASSPHRASE";
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// How many times a passphrase typed on a terminal may be tried.
const TRIES: u32 = 3;

#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// The country whose crisis lines the safety panel shows, from
    /// `FELTSENSE_LOCALE` (e.g. `GB` or `en_GB`), else the config file's
    /// `locale`, else `LC_ALL`, `LC_MESSAGES`, `LANG`.
    pub country: Option<String>,
    pub config: crate::config::Config,
}

impl Settings {
    /// `--data-dir` / `FELTSENSE_DATA_DIR` (already merged by clap), else
    /// `$XDG_DATA_HOME/feltsense`, else `~/.local/share/feltsense`.
    pub fn from_env(data_dir: Option<PathBuf>, config: crate::config::Config) -> Settings {
        let data_dir = data_dir.unwrap_or_else(|| {
            let base = std::env::var_os("XDG_DATA_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
                    PathBuf::from(home).join(".local/share")
                });
            base.join("feltsense")
        });
        let env = |v: &str| std::env::var(v).ok().filter(|v| !v.is_empty());
        let country = env("FELTSENSE_LOCALE")
            .or_else(|| config.locale.clone())
            .or_else(|| {
                ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .find_map(|v| env(v))
            })
            .and_then(|l| feltsense_core::safety::country(&l));
        Settings {
            data_dir,
            country,
            config,
        }
    }

    pub fn store_path(&self) -> PathBuf {
        self.data_dir.join("feltsense.db")
    }

    /// Opens the existing store, asking for the passphrase if needed (up to
    /// three tries on a terminal). The store holds the data directory's
    /// lock shared while it is open, so `change-passphrase` and `restore`
    /// wait for it to close.
    pub fn open_store(&self) -> anyhow::Result<SqliteStore> {
        let path = self.store_path();
        if !path.exists() {
            return Err(StoreError::Missing(path).into());
        }
        self.secure_data_dir()?;
        if let Some(store) = open_unlocked(&path)? {
            return Ok(store);
        }
        if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
            return Ok(SqliteStore::open(&path, &p)?);
        }
        with_tries(
            TRIES,
            |_| passphrase("Passphrase: "),
            |p| SqliteStore::open(&path, p),
        )
    }

    /// Tightens a data directory that others could read to 0700 (saying
    /// so), and refuses one that belongs to someone else.
    pub fn secure_data_dir(&self) -> anyhow::Result<()> {
        secure_dir(&self.data_dir)
    }

    /// Opens the store, or on first use creates it (saying where).
    pub fn open_or_create_store(&self) -> anyhow::Result<SqliteStore> {
        if self.store_path().exists() {
            return self.open_store();
        }
        eprintln!(
            "Welcome. There is no store yet, so one will be made at {}.",
            self.store_path().display()
        );
        let store = self.create_store()?;
        eprintln!("Your encrypted store is ready. The passphrase is not kept anywhere: please keep it safe.");
        Ok(store)
    }

    /// Creates the store with a new passphrase, asked twice on a terminal.
    pub fn create_store(&self) -> anyhow::Result<SqliteStore> {
        let path = self.store_path();
        if path.exists() {
            return Err(StoreError::AlreadyExists(path).into());
        }
        self.secure_data_dir()?;
        let passphrase = new_passphrase(
            PASSPHRASE_VAR,
            "Choose a passphrase: ",
            "Nothing was created",
        )?;
        Ok(SqliteStore::create(&path, &passphrase)?)
    }
}

/// The store opened with the key `feltsense unlock` left with its agent,
/// if there is one; a key that no longer opens it (the passphrase changed,
/// a backup was restored) is dropped, and the passphrase is asked as usual.
fn open_unlocked(path: &Path) -> anyhow::Result<Option<SqliteStore>> {
    let Some(key) = crate::agent::fetch(path) else {
        return Ok(None);
    };
    match SqliteStore::open_with_key(path, &key) {
        Ok(store) => Ok(Some(store)),
        Err(StoreError::WrongPassphrase) => {
            crate::agent::forget(path);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// A new passphrase: from `var`, else typed twice on the terminal. At
/// least [`MIN_PASSPHRASE_CHARS`] characters. `nothing` says what was not
/// done when the two differ.
pub fn new_passphrase(var: &str, prompt: &str, nothing: &str) -> anyhow::Result<String> {
    let passphrase = match std::env::var(var) {
        Ok(p) => p,
        Err(_) => {
            let first = ask_terminal(prompt, var)?;
            let second = ask_terminal("The same passphrase again: ", var)?;
            if first != second {
                return Err(failure::input(format!(
                    "the two passphrases differ. {nothing}; please try again."
                )));
            }
            first
        }
    };
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(failure::input(format!(
            "the passphrase needs at least {MIN_PASSPHRASE_CHARS} characters. \
             It is the only key to your data, and it cannot be recovered."
        )));
    }
    Ok(passphrase)
}

/// Asks for a passphrase up to `tries` times while `open` says it is
/// wrong; any other outcome ends the asking.
pub fn with_tries<S>(
    tries: u32,
    mut ask: impl FnMut(u32) -> anyhow::Result<String>,
    mut open: impl FnMut(&str) -> Result<S, StoreError>,
) -> anyhow::Result<S> {
    let mut attempt = 1;
    loop {
        let passphrase = ask(attempt)?;
        match open(&passphrase) {
            Err(StoreError::WrongPassphrase) if attempt < tries => {
                let left = tries - attempt;
                eprintln!(
                    "That passphrase does not open this store. Please try again \
                     ({left} {} left).",
                    if left == 1 { "try" } else { "tries" }
                );
                attempt += 1;
            }
            result => return Ok(result?),
        }
    }
}

/// The user id this process runs as: the owner of its `/proc/self`.
fn my_uid() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

fn secure_dir(dir: &Path) -> anyhow::Result<()> {
    let Ok(meta) = std::fs::metadata(dir) else {
        return Ok(()); // made owner-only when the store is created
    };
    let not_yours = |owner: u32| -> anyhow::Error {
        failure::Failure {
            code: failure::IO,
            message: format!(
                "the data directory {} belongs to another user (uid {owner}), so feltsense \
                 will not keep your store there. Please choose a directory of your own \
                 with --data-dir or FELTSENSE_DATA_DIR.",
                dir.display()
            ),
        }
        .into()
    };
    if my_uid().is_some_and(|me| me != meta.uid()) {
        return Err(not_yours(meta.uid()));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|_| not_yours(meta.uid()))?;
        eprintln!(
            "Note: others on this computer could look into {} (mode {mode:o}); it is now \
             yours alone (700).",
            dir.display()
        );
    }
    Ok(())
}

/// The passphrase from the environment, or asked on the terminal.
pub fn passphrase(prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
        return Ok(p);
    }
    ask_terminal(prompt, PASSPHRASE_VAR)
}

/// Asks on the terminal; without one, says which variable to set.
fn ask_terminal(prompt: &str, var: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        return Err(failure::input(format!(
            "a passphrase is needed: run this in a terminal, or set {var}"
        )));
    }
    Ok(rpassword::prompt_password(prompt)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens only with "right"; counts the tries.
    fn tried(typed: &[&str]) -> (anyhow::Result<&'static str>, u32) {
        let mut asked = 0;
        let result = with_tries(
            TRIES,
            |attempt| {
                asked = attempt;
                Ok(typed[attempt as usize - 1].to_string())
            },
            |p| match p {
                "right" => Ok("open"),
                _ => Err(StoreError::WrongPassphrase),
            },
        );
        (result, asked)
    }

    #[test]
    fn a_wrong_passphrase_is_asked_again_up_to_three_times() {
        let (opened, asked) = tried(&["typo", "typo again", "right"]);
        assert_eq!((opened.unwrap(), asked), ("open", 3));
        let (refused, asked) = tried(&["a", "b", "c", "right"]);
        assert_eq!(asked, 3, "no fourth try");
        let failure = failure::Failure::from(refused.unwrap_err());
        assert_eq!(failure.code, failure::INPUT);
    }

    #[test]
    fn other_errors_end_the_asking_at_once() {
        let mut asked = 0;
        let result: anyhow::Result<()> = with_tries(
            TRIES,
            |_| {
                asked += 1;
                Ok("any".into())
            },
            |_| Err(StoreError::InUse(PathBuf::from("x"))),
        );
        assert!(result.is_err());
        assert_eq!(asked, 1);
    }
}
