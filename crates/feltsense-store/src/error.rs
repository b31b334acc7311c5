use std::path::PathBuf;

pub type StoreResult<T> = Result<T, StoreError>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the passphrase does not open this store")]
    WrongPassphrase,
    #[error("an empty passphrase would leave the store unencrypted")]
    EmptyPassphrase,
    #[error("the store at {0} is open elsewhere (the web app or another feltsense command)")]
    InUse(PathBuf),
    #[error("there is no store at {0} yet")]
    Missing(PathBuf),
    #[error("a store already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("a different check-in with id {id} is already stored")]
    Conflict { id: String },
    #[error("this store was written by a newer feltsense (schema {found}, this one knows up to {known})")]
    TooNew { found: i64, known: i64 },
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("storage failed: {0}")]
    Backend(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Backend(e.to_string())
    }
}
