//! Setting up a second factor on a form: a fresh secret shown as a QR code
//! (SVG, drawn here) and as text, carried sealed to the post, which needs
//! the first code from the authenticator app to prove it was set up.

use crate::accounts::{second_factor, Accounts};
use qrcode::render::svg;
use qrcode::QrCode;

/// What the form shows and carries.
pub struct Enrolment {
    /// The secret, sealed under the server key, as hex.
    pub sealed: String,
    /// The secret in base 32, for typing in.
    pub text: String,
    /// The `otpauth://` address as an SVG QR code.
    pub qr: String,
}

impl Enrolment {
    pub fn fresh(accounts: &Accounts, email: &str) -> Enrolment {
        Enrolment::of(accounts, &second_factor::new_secret(), email)
    }

    /// The same secret again (a form sent back with a problem keeps it,
    /// so an app that already scanned it still works).
    pub fn of(accounts: &Accounts, secret: &[u8], email: &str) -> Enrolment {
        let url = second_factor::otpauth_url(secret, email, "feltsense");
        Enrolment {
            sealed: accounts.seal_for_form(secret),
            text: second_factor::secret_text(secret),
            qr: qr_svg(&url),
        }
    }
}

/// `text` as an inline SVG QR code (no XML declaration, for embedding).
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = QrCode::new(text.as_bytes()) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .min_dimensions(180, 180)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    match image.find("<svg") {
        Some(start) => image[start..].to_string(),
        None => image,
    }
}

/// What the form said about the second factor.
pub enum Chosen {
    /// A secret whose code was right.
    Set(Vec<u8>),
    /// None chosen (allowed only where it is optional).
    Without,
    /// Why not: the code was wrong or missing where needed.
    Problem(&'static str, Option<Vec<u8>>),
}

/// Reads the form's `factor` (sealed) and `code` fields.
pub fn chosen(accounts: &Accounts, form: &[(String, String)], required: bool) -> Chosen {
    let field = |name| super::guard::field(form, name);
    let secret = accounts.open_from_form(field("factor"));
    let code = field("code").trim();
    if code.is_empty() {
        return if required {
            Chosen::Problem("Staff accounts need a second factor: please scan the code with an authenticator app and type the six digits it shows.", secret)
        } else {
            Chosen::Without
        };
    }
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    match secret {
        Some(s) if second_factor::check(&s, code, now) => Chosen::Set(s),
        s => Chosen::Problem("That code did not match the one set up here. Please type the six digits your authenticator app shows now.", s),
    }
}
