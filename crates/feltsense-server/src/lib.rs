//! `feltsense server`: the person's whole app for many people, each in
//! their own account, on PostgreSQL, over HTTPS (or behind a proxy that
//! terminates TLS).
pub mod accounts;
pub mod db;
pub mod serve;
pub mod site;
pub mod standin;
pub mod web;

/// The pool type the server runs on.
pub use deadpool_postgres::Pool;
