//! Where things live and how the passphrase is found. Passed explicitly to
//! every command; there are no globals.

use crate::failure;
use feltsense_store::SqliteStore;
use std::io::IsTerminal;
use std::path::PathBuf;

pub const PASSPHRASE_VAR: &str = "FELTSENSE_PASSPHRASE";
const MIN_PASSPHRASE_CHARS: usize = 8;

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

    /// Opens the existing store, asking for the passphrase if needed.
    pub fn open_store(&self) -> anyhow::Result<SqliteStore> {
        let path = self.store_path();
        if !path.exists() {
            return Err(feltsense_store::StoreError::Missing(path).into());
        }
        let passphrase = passphrase("Passphrase: ")?;
        Ok(SqliteStore::open(&path, &passphrase)?)
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
            return Err(feltsense_store::StoreError::AlreadyExists(path).into());
        }
        let passphrase = match std::env::var(PASSPHRASE_VAR) {
            Ok(p) => p,
            Err(_) => {
                let first = passphrase("Choose a passphrase: ")?;
                let second = passphrase("The same passphrase again: ")?;
                if first != second {
                    return Err(failure::input(
                        "the two passphrases differ. Nothing was created; please try again.",
                    ));
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
        Ok(SqliteStore::create(&path, &passphrase)?)
    }
}

/// The passphrase from the environment, or asked on the terminal.
fn passphrase(prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() && !std::io::stderr().is_terminal() {
        return Err(failure::input(format!(
            "a passphrase is needed: run this in a terminal, or set {PASSPHRASE_VAR}"
        )));
    }
    let p = rpassword::prompt_password(prompt)?;
    Ok(p)
}
