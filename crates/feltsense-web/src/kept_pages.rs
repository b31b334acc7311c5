//! The pages computed from every check-in (the calendar's year, insights),
//! kept as rendered for the store version they were made from, so a page
//! viewed again before anything is written is not computed again.
//!
//! The key is the page's address, the store's version (read from the store
//! on every view, so another process's or server instance's write is
//! seen), the local date (the calendar marks today; insights count back
//! from now) and an age limit for pages whose windows move with the clock.
//! A few pages are kept per app (per person, never shared), newest first;
//! a store replaced by a re-key or restore drops them with the snapshot.

use chrono::{Local, NaiveDate};
use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How many rendered pages an app keeps (years and insights windows).
const KEPT: usize = 4;

struct Kept {
    address: String,
    version: u64,
    day: NaiveDate,
    made: Instant,
    html: String,
}

#[derive(Default)]
pub(crate) struct KeptPages(Mutex<VecDeque<Kept>>);

impl KeptPages {
    /// The page at `address` as rendered from `version` today, if it was,
    /// less than `fresh_for` ago.
    pub fn get(&self, address: &str, version: u64, fresh_for: Duration) -> Option<String> {
        let today = Local::now().date_naive();
        let kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.iter()
            .find(|k| k.address == address && k.version == version && k.day == today)
            .filter(|k| k.made.elapsed() < fresh_for)
            .map(|k| k.html.clone())
    }

    /// Keeps `html`, the page at `address` rendered from `version`, in
    /// place of any older rendering of it.
    pub fn keep(&self, address: String, version: u64, html: &str) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        kept.retain(|k| k.address != address && k.version == version);
        kept.push_front(Kept {
            address,
            version,
            day: Local::now().date_naive(),
            made: Instant::now(),
            html: html.to_string(),
        });
        kept.truncate(KEPT);
    }

    /// Forgets every page (the store was replaced).
    pub fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(60);

    #[test]
    fn a_page_is_kept_only_for_its_version_address_and_age() {
        let pages = KeptPages::default();
        pages.keep("/calendar".into(), 7, "year at 7");
        assert_eq!(
            pages.get("/calendar", 7, LONG).as_deref(),
            Some("year at 7")
        );
        assert_eq!(pages.get("/calendar", 8, LONG), None, "a write since");
        assert_eq!(pages.get("/insights", 7, LONG), None);
        assert_eq!(pages.get("/calendar", 7, Duration::ZERO), None, "too old");
        pages.keep("/calendar".into(), 8, "year at 8");
        assert_eq!(
            pages.get("/calendar", 8, LONG).as_deref(),
            Some("year at 8")
        );
        assert_eq!(pages.get("/calendar", 7, LONG), None, "older versions go");
        pages.clear();
        assert_eq!(pages.get("/calendar", 8, LONG), None);
    }

    #[test]
    fn only_a_few_pages_are_kept() {
        let pages = KeptPages::default();
        for days in 0..10 {
            pages.keep(format!("/insights?days={days}"), 1, "page");
        }
        assert_eq!(pages.0.lock().unwrap().len(), KEPT);
        assert!(pages.get("/insights?days=9", 1, LONG).is_some());
        assert!(pages.get("/insights?days=0", 1, LONG).is_none());
    }
}
