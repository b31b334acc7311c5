//! The store conformance suite of `feltsense-store`, every check, run
//! against `PgStore` on the real PostgreSQL, each with a fresh person (as
//! `feltsense-store` runs it against SQLite).

mod common;

#[allow(unused_imports)]
use common::fresh_store;

feltsense_store::conformance_tests!(fresh_store());
