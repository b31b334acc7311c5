//! `feltsense server`: the person's whole app for many people, each in
//! their own account, on PostgreSQL, over HTTPS (or behind a proxy that
//! terminates TLS).
pub mod accounts;
pub mod db;
pub mod keys;
pub mod people;
pub mod person_stores;
pub mod serve;
pub mod site;
pub mod store;
pub mod web;

pub use keys::{rotate_key, ServerKey};
pub use store::{DataError, PgStore};

/// The pool type the server runs on.
pub use deadpool_postgres::Pool;
