//! clap's own messages about a flag's value ("7 is not in -5..=5"), said
//! in feltsense's voice: the flag, what was given, and what it takes.
//! clap's other messages (help, version, an unknown flag) are its own.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The message for a value clap refused, or `None` when clap should
/// speak for itself.
pub fn explain(e: &clap::Error) -> Option<String> {
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let flag = arg.split(' ').next().unwrap_or(arg);
    let value = match e.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(v)) => v.as_str(),
        _ => "",
    };
    let why = std::error::Error::source(e).map_or_else(String::new, |s| s.to_string());
    Some(format!("{flag}: {}", reason(value, &why)))
}

fn reason(value: &str, why: &str) -> String {
    let range = why
        .rsplit_once(" is not in ")
        .and_then(|(_, r)| r.split_once("..="));
    if let Some((low, high)) = range {
        return format!("{value} is outside what it takes; choose {low} to {high}");
    }
    if why.contains("too large") || why.contains("too small") {
        return format!("{value} is far outside what it takes");
    }
    if why.contains("invalid digit") || why.contains("empty string") {
        return format!("'{value}' is not a whole number");
    }
    if why.contains("float") {
        return format!("'{value}' is not a number");
    }
    if why.contains(value) {
        return why.to_string();
    }
    format!("'{value}': {why}")
}

#[cfg(test)]
mod tests {
    use super::reason;

    #[test]
    fn ranges_and_numbers_are_said_plainly() {
        assert_eq!(
            reason("7", "7 is not in -5..=5"),
            "7 is outside what it takes; choose -5 to 5"
        );
        assert_eq!(
            reason("x", "invalid digit found in string"),
            "'x' is not a whole number"
        );
        assert_eq!(
            reason("99999999999", "number too large to fit in target type"),
            "99999999999 is far outside what it takes"
        );
    }
}
