//! Every route, in-process: what a person's browser would get back, with
//! and without the session, with good and bad forms and CSRF tokens; one
//! module an area of the app.

#[path = "../common/mod.rs"]
mod common;

mod bridges;
mod checkins;
mod journal;
mod safety;
mod session;
