//! The server against a real PostgreSQL (`eval "$(scripts/pg.sh start)"`
//! first): the authorisation matrix, limits across instances, two
//! instances sharing a person, resets, recovery codes, deletion, health.

#[path = "../common/mod.rs"]
mod common;
mod feed;
mod flows;
mod kept_pages;
mod matrix;
mod people;
mod person_page;
mod readers;
mod rotation;
mod sharing_notice;
mod sharing_person;
mod support;
