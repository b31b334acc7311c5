//! The second factor: a time-based one-time password (RFC 6238: SHA-1,
//! six digits, 30 seconds, one step of drift allowed), its secret sealed
//! under the server key, and one-time recovery codes kept hashed.

use super::SealingKey;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use totp_rs::{Algorithm, TOTP};

/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 8;

/// A fresh secret (20 random bytes, as RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    getrandom::fill(&mut secret).expect("the operating system provides randomness");
    secret
}

fn totp(secret: &[u8]) -> TOTP {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec()).expect("a 20-byte secret is valid")
}

/// The secret as an authenticator app takes it typed in (base 32).
pub fn secret_text(secret: &[u8]) -> String {
    totp(secret).get_secret_base32()
}

/// The `otpauth://` address an authenticator app reads from a QR code.
pub fn otpauth_url(secret: &[u8], email: &str, issuer: &str) -> String {
    let label = percent(&format!("{issuer}:{email}"));
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        secret_text(secret),
        percent(issuer)
    )
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether `code` (spaces allowed) is right for `secret` at `unix` seconds.
pub fn check(secret: &[u8], code: &str, unix: u64) -> bool {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    code.len() == 6 && totp(secret).check(&code, unix)
}

/// The current code (tests, and the setup page's own check).
pub fn current(secret: &[u8], unix: u64) -> String {
    totp(secret).generate(unix)
}

/// Seals `secret` under the server key: a random 24-byte nonce, then the
/// ciphertext with its tag.
pub fn seal(key: &SealingKey, secret: &[u8]) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("the operating system provides randomness");
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), secret)
        .expect("sealing a short secret cannot fail");
    [nonce.as_slice(), &sealed].concat()
}

/// The secret back, or `None` if `sealed` was not sealed under `key`.
pub fn open(key: &SealingKey, sealed: &[u8]) -> Option<Vec<u8>> {
    let (nonce, body) = sealed.split_at_checked(24)?;
    let cipher = XChaCha20Poly1305::new(key.bytes().into());
    cipher.decrypt(XNonce::from_slice(nonce), body).ok()
}

/// Fresh recovery codes, such as `k7wq-3xmz-p9fd-2hcn` (80 random bits).
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 16];
            getrandom::fill(&mut bytes).expect("the operating system provides randomness");
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed, in the form it was hashed in.
pub fn normal_code(typed: &str) -> String {
    let bare: String = typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let chars: Vec<char> = bare.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

impl super::Accounts {
    /// A new secret sealed for a form's hidden field (hex), so the page
    /// that shows its QR code and the post that checks the first code need
    /// no state between them, and no one can choose the secret.
    pub fn seal_for_form(&self, secret: &[u8]) -> String {
        seal(&self.key, secret)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The secret back from a form's hidden field.
    pub fn open_from_form(&self, hex: &str) -> Option<Vec<u8>> {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect();
        open(&self.key, &bytes?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_under_its_key() {
        let key = SealingKey::derive(&[1; 32]);
        let other = SealingKey::derive(&[2; 32]);
        let secret = new_secret();
        let sealed = seal(&key, &secret);
        assert_eq!(open(&key, &sealed).as_deref(), Some(secret.as_slice()));
        assert_eq!(open(&other, &sealed), None);
        assert_eq!(open(&key, &sealed[..10]), None);
    }

    #[test]
    fn the_current_code_is_right_and_an_old_one_is_not() {
        let secret = new_secret();
        let now = 1_800_000_000;
        assert!(check(&secret, &current(&secret, now), now));
        assert!(
            check(&secret, &current(&secret, now - 30), now),
            "one step of drift"
        );
        assert!(!check(&secret, &current(&secret, now - 300), now));
        assert!(!check(&secret, "12345", now));
    }

    #[test]
    fn recovery_codes_are_distinct_and_survive_retyping() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19);
        assert_ne!(codes[0], codes[1]);
        assert_eq!(
            normal_code(&codes[0].to_uppercase().replace('-', " ")),
            codes[0]
        );
    }
}
