//! Passwords: Argon2id with OWASP's parameters (m = 19 MiB, t = 2, p = 1).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The fewest characters a password may have.
pub const SHORTEST: usize = 10;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string for `password`, with a fresh salt.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system provides randomness");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2id hashes any password")
        .to_string()
}

/// Whether `password` matches the stored `phc` string.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of nothing, verified against when no account matches, so a
/// wrong email takes as long as a wrong password.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not anyone's password"));
    let _ = verify(password, dummy);
}

/// Why a new password cannot be used, in words for the form.
pub fn refuse(password: &str, again: &str) -> Option<&'static str> {
    if password.chars().count() < SHORTEST {
        Some("Please choose a password of at least 10 characters (a few words work well).")
    } else if password != again {
        Some("The two passwords were not the same. Please type it twice alike.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_and_another_does_not() {
        let phc = hash("correct horse battery");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("correct horse batterx", &phc));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn short_or_unequal_passwords_are_refused() {
        assert!(refuse("short", "short").is_some());
        assert!(refuse("long enough here", "long enough hera").is_some());
        assert!(refuse("long enough here", "long enough here").is_none());
    }
}
