//! `feltsense server`: the person's whole app for many people, each in
//! their own account, on PostgreSQL, over HTTPS (or behind a proxy that
//! terminates TLS).
pub mod db;
pub mod keys;
pub mod people;
pub mod sharing;
pub mod store;

pub use keys::{rotate_key, ServerKey};
pub use store::{DataError, PgStore};
