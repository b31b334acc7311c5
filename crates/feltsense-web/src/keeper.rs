//! The store, reached only from tokio's blocking pool, so the async workers
//! that answer every page never wait for a write (a busy database, a slow
//! disk); and the copy of the safety plan that `/help-now` shows without
//! asking the store at all.

use crate::{Snapshot, Web};
use feltsense_core::SafetyPlan;
use feltsense_store::{Store, StoreError, StoreResult};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

/// The one store, shared by the blocking pool's threads. `None` while the
/// app is locked (see `unlock.rs`) and for the moment a re-key or a
/// restore replaces the file (see `Web::reopen`).
pub type SharedStore = Arc<Mutex<Option<Box<dyn Store + Send>>>>;

fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave a half-written record
    // (every write is one transaction), so the store stays usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Web {
    /// Runs `work` with the store on the blocking pool and waits for it
    /// without holding an async worker.
    pub(crate) async fn store<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> StoreResult<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || match lock(&store).as_mut() {
            Some(store) => work(store.as_mut()),
            None => Err(StoreError::Backend("the store is being replaced".into())),
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Backend(format!("the store call stopped: {e}"))))
    }

    /// Closes the store (so its file can be re-keyed or replaced, which
    /// needs every handle closed), runs `work`, and keeps the store `work`
    /// opens again, whatever its outcome. Every other request waits on the
    /// lock meanwhile; the cache is dropped, since the file may differ.
    pub(crate) async fn reopen<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce() -> (Option<Box<dyn Store + Send>>, StoreResult<T>) + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let cache = Arc::clone(&self.cache);
        let pages = Arc::clone(&self.pages);
        tokio::task::spawn_blocking(move || {
            let mut held = lock(&store);
            drop(held.take());
            let (reopened, outcome) = work();
            *held = reopened;
            *lock(&cache) = None;
            pages.clear();
            outcome
        })
        .await
        .unwrap_or_else(|e| Err(StoreError::Backend(format!("the store call stopped: {e}"))))
    }

    /// Every check-in, newest first, and what is computed from all of them.
    /// Read from the store only when it has changed since the last read
    /// (here or through the command line), so the calendar and insights do
    /// not decrypt ten years on every request.
    pub(crate) async fn snapshot(&self) -> StoreResult<Arc<Snapshot>> {
        let cache = Arc::clone(&self.cache);
        self.store(move |store| {
            let version = store.version()?;
            let mut cache = lock(&cache);
            if let Some(snapshot) = cache.as_ref().filter(|s| s.version == version) {
                return Ok(Arc::clone(snapshot));
            }
            let snapshot = Arc::new(Snapshot {
                version,
                checkins: store.every_checkin_at(version)?,
                trend: OnceLock::new(),
            });
            *cache = Some(Arc::clone(&snapshot));
            Ok(snapshot)
        })
        .await
    }

    /// Lets go of the snapshot before a check-in is written: it is stale
    /// after the write anyway, and a store that keeps its check-ins opened
    /// (the server's) can then change its list in place, not copy a year.
    /// Never waits: a snapshot being read now (which holds the lock over
    /// a store call, itself waiting for the async workers) is left, and
    /// the store copies its list instead.
    pub(crate) fn let_go_of_snapshot(&self) {
        match self.cache.try_lock() {
            Ok(mut cache) => *cache = None,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => *poisoned.into_inner() = None,
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
    }

    /// The person's safety plan, read from the store (and kept for help-now).
    pub(crate) async fn safety_plan(&self) -> StoreResult<SafetyPlan> {
        let plan = self.store(|s| s.safety_plan()).await?;
        *lock(&self.plan) = Some(plan.clone());
        Ok(plan)
    }

    /// Saves the safety plan (and keeps it for help-now).
    pub(crate) async fn save_safety_plan(&self, plan: SafetyPlan) -> StoreResult<()> {
        let saved = plan.clone();
        self.store(move |s| s.save_safety_plan(&saved)).await?;
        *lock(&self.plan) = Some(plan);
        Ok(())
    }

    /// The safety plan as last read or written, without asking the store:
    /// `None` if it has not been read yet.
    pub(crate) fn kept_safety_plan(&self) -> Option<SafetyPlan> {
        lock(&self.plan).clone()
    }
}

/// Reads the safety plan once at start, so help-now has it from the first
/// request; a store that cannot answer now leaves it for the first read.
pub(crate) fn first_safety_plan(store: &dyn Store) -> Mutex<Option<SafetyPlan>> {
    Mutex::new(store.safety_plan().ok())
}
