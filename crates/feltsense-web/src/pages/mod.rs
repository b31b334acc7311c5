//! One module per page.

pub mod assess;
pub mod assets;
pub mod bridges;
pub mod calendar;
pub mod checkin;
pub mod insights;
pub mod journal;
pub mod recent;
pub mod safety;
pub mod settings;

use crate::error::PageError;
use askama::Template;
use axum::response::Html;

/// Renders a page template.
pub fn render(page: &impl Template) -> Result<Html<String>, PageError> {
    Ok(Html(page.render()?))
}
