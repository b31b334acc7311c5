//! What the person chooses in settings that outlives a restart: the
//! crisis-line country (needed by help-now before the store is unlocked),
//! the auto-lock time and the reminder plan. The local app keeps them in
//! the config file the command line reads (`Web::keeping_choices`); without
//! a keeper (tests, a server) they last until the app stops.

use crate::Web;
use feltsense_core::reminders::Plan;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The choices, as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices {
    /// An ISO code such as `GB`, or `None` for the international directory.
    pub country: Option<String>,
    pub auto_lock: Duration,
    pub reminders: Plan,
}

/// Writes the choices where they are kept; `Err` says why it could not.
pub type ChoiceKeeper = Arc<dyn Fn(&Choices) -> Result<(), String> + Send + Sync>;

/// The choices held in memory, and where they are kept.
pub(crate) struct Held {
    pub(crate) country: Option<String>,
    pub(crate) reminders: Plan,
    pub(crate) keeper: Option<ChoiceKeeper>,
}

impl Held {
    pub(crate) fn new() -> Mutex<Held> {
        Mutex::new(Held {
            country: None,
            reminders: Plan::default(),
            keeper: None,
        })
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Web {
    /// Shows crisis lines for this country (ISO code such as `GB`).
    pub fn with_country(self, country: Option<String>) -> Web {
        lock(&self.held).country = country;
        self
    }

    /// Prompts by this reminder plan (the reminders feed).
    pub fn with_reminders(self, plan: Plan) -> Web {
        lock(&self.held).reminders = plan;
        self
    }

    /// Keeps every change of the choices with `keeper`.
    pub fn keeping_choices(self, keeper: ChoiceKeeper) -> Web {
        lock(&self.held).keeper = Some(keeper);
        self
    }

    /// The country whose crisis lines are shown.
    pub(crate) fn country(&self) -> Option<String> {
        lock(&self.held).country.clone()
    }

    /// The choices now.
    pub fn choices(&self) -> Choices {
        let held = lock(&self.held);
        Choices {
            country: held.country.clone(),
            auto_lock: self.idle_limit(),
            reminders: held.reminders,
        }
    }

    /// Changes the choices with `change`, keeps them, and only then uses
    /// them: if they cannot be kept, nothing changes.
    pub(crate) fn choose(&self, change: impl FnOnce(&mut Choices)) -> Result<(), String> {
        let mut choices = self.choices();
        change(&mut choices);
        let keeper = lock(&self.held).keeper.clone();
        if let Some(keep) = keeper {
            keep(&choices)?;
        }
        self.set_idle_limit(choices.auto_lock);
        let mut held = lock(&self.held);
        held.country = choices.country;
        held.reminders = choices.reminders;
        Ok(())
    }
}
