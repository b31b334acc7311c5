//! The store's file, from the settings page of the local app: download an
//! encrypted backup, change the passphrase, put a backup back. Each asks for
//! a passphrase (nothing here keeps one); the re-key and the restore close
//! the app's own handle for the moment they replace the file, through
//! `Web::reopen`, since both need every handle closed.

use crate::auth::check_csrf;
use crate::error::PageError;
use crate::Web;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use feltsense_store::{SqliteStore, Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

type Fields = Vec<(String, String)>;

fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The store file, or a page saying this app has none (tests, a server).
fn file(web: &Web) -> Result<PathBuf, PageError> {
    web.file.clone().ok_or_else(|| {
        PageError::new(
            StatusCode::NOT_FOUND,
            "This app has no store file of its own to back up or change.",
        )
    })
}

/// A store error in the settings page's words; nothing was changed.
fn refused(e: StoreError) -> PageError {
    let message = match e {
        StoreError::WrongPassphrase | StoreError::EmptyPassphrase => {
            "That passphrase does not open it. Nothing was changed; please go back and try again."
                .to_string()
        }
        StoreError::InUse(_) => "feltsense is open in another program (perhaps a command in a \
             terminal). Nothing was changed; please try again when it has finished."
            .to_string(),
        StoreError::Missing(path) => format!(
            "There is no file at {}. Nothing was changed; please check the path.",
            path.display()
        ),
        other => format!("Nothing was changed: {other}."),
    };
    PageError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// `POST /settings/backup`: a consistent encrypted copy of the store,
/// made while the app runs, as a download. It opens with the same
/// passphrase when placed as `feltsense.db` in a data directory.
pub async fn backup(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let path = file(&web)?;
    let passphrase = field(&form, "passphrase").to_string();
    let bytes = tokio::task::spawn_blocking(move || backup_bytes(&path, &passphrase))
        .await
        .map_err(PageError::internal)?
        .map_err(refused)?;
    let name = format!(
        "attachment; filename=\"feltsense-backup-{}.db\"",
        super::now().format("%Y-%m-%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// The backup written beside the store (owner-only), read, then removed.
fn backup_bytes(path: &Path, passphrase: &str) -> Result<Vec<u8>, StoreError> {
    let store = SqliteStore::open(path, passphrase)?;
    let out = path.with_extension(format!("backup-{}", crate::random_token()));
    store.backup_to(&out)?;
    let bytes = std::fs::read(&out).map_err(|source| StoreError::Io {
        context: format!("could not read {}", out.display()),
        source,
    });
    let _ = std::fs::remove_file(&out);
    bytes
}

/// `POST /settings/passphrase`: re-keys the store; the app goes on under
/// the new passphrase.
pub async fn change_passphrase(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let path = file(&web)?;
    let (old, new) = (field(&form, "old"), field(&form, "new"));
    if new != field(&form, "again") {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The two new passphrases differ. Nothing was changed; please go back and try again.",
        ));
    }
    if new.chars().count() < 8 {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The new passphrase needs at least 8 characters. It is the only key to your data. \
             Nothing was changed.",
        ));
    }
    let (old, new) = (old.to_string(), new.to_string());
    proven(&path, &old).await?;
    web.reopen(move || {
        let outcome = feltsense_store::change_passphrase(&path, &old, &new);
        let key = if outcome.is_ok() { &new } else { &old };
        (reopened(&path, key), outcome)
    })
    .await
    .map_err(refused)?;
    Ok(Redirect::to("/settings?done=passphrase").into_response())
}

/// `POST /settings/restore`: puts a backup (a path on this computer) in
/// place of the store, after the box saying so was ticked and the current
/// passphrase proven; the store it replaces is kept beside it. The app goes
/// on with the backup's passphrase.
pub async fn restore(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let path = file(&web)?;
    if field(&form, "confirm") != "yes" {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Restoring replaces everything here with the backup, so the box that says so must be \
             ticked. Nothing was changed.",
        ));
    }
    let from = PathBuf::from(field(&form, "from").trim());
    let passphrase = field(&form, "passphrase").to_string();
    let current = field(&form, "current").to_string();
    proven(&path, &current).await?;
    let check = (from.clone(), passphrase.clone());
    tokio::task::spawn_blocking(move || feltsense_store::inspect(&check.0, &check.1))
        .await
        .map_err(PageError::internal)?
        .map_err(refused)?;
    web.reopen(move || {
        let outcome = feltsense_store::restore(&path, &from, &passphrase);
        let key = if outcome.is_ok() {
            &passphrase
        } else {
            &current
        };
        (reopened(&path, key), outcome)
    })
    .await
    .map_err(refused)?;
    Ok(Redirect::to("/settings?done=restored").into_response())
}

/// Whether `passphrase` opens the store, proven with the app still open,
/// so a mistyped one never closes anything.
async fn proven(path: &Path, passphrase: &str) -> Result<(), PageError> {
    let (path, passphrase) = (path.to_path_buf(), passphrase.to_string());
    tokio::task::spawn_blocking(move || SqliteStore::open(&path, &passphrase).map(drop))
        .await
        .map_err(PageError::internal)?
        .map_err(refused)
}

/// The store opened again; `None` (every page then says the store is
/// being replaced) only if the file cannot be opened with `passphrase`.
fn reopened(path: &Path, passphrase: &str) -> Option<Box<dyn Store + Send>> {
    SqliteStore::open(path, passphrase)
        .ok()
        .map(|s| Box::new(s) as Box<dyn Store + Send>)
}

#[derive(askama::Template)]
#[template(path = "delete_everything.html")]
struct DeletePage {
    title: &'static str,
    current: &'static str,
    csrf: String,
    /// The one-time word for the second asking; empty once deleted.
    confirm: String,
}

/// How long the second asking stays valid.
const SECOND_ASKING: std::time::Duration = std::time::Duration::from_secs(120);

/// `POST /settings/delete`, asked twice: first with the box ticked and the
/// passphrase proven (answered by a page that asks again, holding a
/// one-time word good for two minutes), then with that word. Then the
/// store file and every copy beside it are removed and the app locks.
pub async fn delete_everything(
    State(web): State<Arc<Web>>,
    Form(form): Form<Fields>,
) -> Result<Response, PageError> {
    check_csrf(&web, &form)?;
    let path = file(&web)?;
    let second = field(&form, "second");
    if !second.is_empty() {
        if !web.take_deletion(second) {
            return Err(PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "That second asking ran out (it lasts two minutes). Nothing was deleted; please \
                 start again from the settings page.",
            ));
        }
        return deleted(&web, path).await;
    }
    if field(&form, "confirm") != "yes" {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Deleting everything needs the box that says so ticked. Nothing was deleted.",
        ));
    }
    proven(&path, field(&form, "passphrase")).await?;
    let page = DeletePage {
        title: "Delete everything?",
        current: "settings",
        csrf: web.csrf.clone(),
        confirm: web.start_deletion(SECOND_ASKING),
    };
    Ok(super::render(&page)?.into_response())
}

/// Removes the store and its copies, locks, and says so.
async fn deleted(web: &Web, path: PathBuf) -> Result<Response, PageError> {
    web.reopen(move || (None, remove_store_files(&path)))
        .await
        .map_err(refused)?;
    web.lock_now();
    let page = DeletePage {
        title: "Everything is deleted",
        current: "settings",
        csrf: String::new(),
        confirm: String::new(),
    };
    Ok(super::render(&page)?.into_response())
}

/// The store file and every file beside it whose name starts with it
/// (its journal, the copies a restore kept, backups made here).
fn remove_store_files(path: &Path) -> Result<(), StoreError> {
    let io = |context: String| move |source| StoreError::Io { context, source };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("feltsense.db");
    let entries =
        std::fs::read_dir(dir).map_err(io(format!("could not read {}", dir.display())))?;
    for entry in entries.flatten() {
        let own = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(name));
        if own {
            let file = entry.path();
            std::fs::remove_file(&file)
                .map_err(io(format!("could not remove {}", file.display())))?;
        }
    }
    Ok(())
}
