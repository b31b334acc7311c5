//! How errors reach a person: one message and one exit code (see
//! `EXIT_CODES` in `main.rs`).

use feltsense_store::StoreError;

pub const IO: u8 = 1;
pub const INPUT: u8 = 2;
pub const NOT_THERE: u8 = 3;

/// An error the person can act on, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Bad input, exit code 2.
pub fn input(message: impl Into<String>) -> anyhow::Error {
    Failure {
        code: INPUT,
        message: message.into(),
    }
    .into()
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        let e = match e.downcast::<Failure>() {
            Ok(failure) => return failure,
            Err(e) => e,
        };
        if let Some(store) = e.downcast_ref::<StoreError>() {
            return from_store(store);
        }
        Failure {
            code: IO,
            message: format!("{e:#}"),
        }
    }
}

fn from_store(e: &StoreError) -> Failure {
    let (code, message) = match e {
        StoreError::WrongPassphrase => (
            INPUT,
            "that passphrase does not open this store. Nothing was changed; \
             you can try again."
                .to_string(),
        ),
        StoreError::Missing(path) => (
            NOT_THERE,
            format!(
                "there is no store at {} yet. `feltsense init` creates one.",
                path.display()
            ),
        ),
        StoreError::NotFound { .. } => (NOT_THERE, e.to_string()),
        StoreError::InUse(_) => (
            IO,
            "feltsense is open elsewhere, in the web app or another command. \
             Please stop it first (Ctrl-C where `feltsense serve` runs), then try again. \
             Nothing was changed."
                .to_string(),
        ),
        StoreError::EmptyPassphrase => (INPUT, format!("{e}; please choose one.")),
        StoreError::Conflict { .. } | StoreError::AlreadyExists(_) => (INPUT, e.to_string()),
        _ => (IO, e.to_string()),
    };
    Failure { code, message }
}
