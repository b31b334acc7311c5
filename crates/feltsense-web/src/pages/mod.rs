//! One module per page.

pub mod assess;
pub mod assets;
pub mod bridges;
pub mod calendar;
pub mod checkin;
pub mod choices;
pub mod import;
pub mod insights;
pub mod journal;
pub mod recent;
pub mod retime;
pub mod safety;
pub mod settings;
pub mod store_file;

use crate::error::PageError;
use askama::Template;
use axum::response::Html;

/// Renders a page template.
pub fn render(page: &impl Template) -> Result<Html<String>, PageError> {
    Ok(Html(page.render()?))
}

/// The moment a record is made: local time with its offset, in whole seconds.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    chrono::Local::now()
        .fixed_offset()
        .with_nanosecond(0)
        .expect("0 ns is valid")
}

/// The times a record may have, as of now (see `feltsense_core::when`).
pub fn accepted() -> feltsense_core::when::TimeRange {
    feltsense_core::when::TimeRange::around(chrono::Utc::now())
}
