//! `feltsense server`'s refusals, said before anything starts: what it
//! needs and what was wrong (exit code 2). Its pages are tested against
//! PostgreSQL in crates/feltsense-server/tests/server/.

use crate::util::Env;

fn refused(args: &[&str], words: &[&str]) {
    let env = Env::new();
    let out = env.run_with(args, "", |cmd| {
        cmd.env_remove("FELTSENSE_DATABASE_URL")
            .env_remove("FELTSENSE_KEY_FILE")
            .env_remove("FELTSENSE_PUBLIC_URL");
    });
    assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    assert!(out.stderr.starts_with("feltsense: "), "{}", out.stderr);
    for word in words {
        assert!(
            out.stderr.contains(word),
            "{args:?} should say {word}: {}",
            out.stderr
        );
    }
}

#[test]
fn without_a_database_the_server_says_what_it_needs() {
    refused(
        &["server"],
        &[
            "PostgreSQL",
            "--database-url",
            "FELTSENSE_DATABASE_URL",
            "scripts/pg.sh",
        ],
    );
    refused(&["server", "migrate"], &["--database-url"]);
    refused(
        &["server", "admin", "create-admin", "a@example.org"],
        &["--database-url"],
    );
}

#[test]
fn a_bad_address_or_missing_tls_is_named() {
    let db = [
        "server",
        "--database-url",
        "postgres://u:p@127.0.0.1:1/db",
        "--key-file",
        "/nonexistent/key",
    ];
    let with = |more: &[&'static str]| [db.as_slice(), more].concat();
    refused(
        &with(&["--public-url", "http://example.org"]),
        &["--public-url", "unencrypted"],
    );
    refused(
        &with(&["--public-url", "example.org"]),
        &["--public-url", "https://host"],
    );
    refused(
        &with(&["--public-url", "https://example.org"]),
        &["--tls-cert", "--behind-proxy"],
    );
    refused(
        &[
            "server",
            "--database-url",
            "not a url",
            "--public-url",
            "https://x",
        ],
        &["--database-url", "postgres://"],
    );
}
