//! Unicode-aware tokenising: words are runs of letters and digits, with
//! apostrophes inside them (straight or curly: don’t = don't); everything
//! else separates words, and sentence or clause punctuation also ends a
//! negation's reach. Emoji and symbols are skipped, never errors. Each
//! word is normalised (`crate::normalize`) but keeps its range as written.

use crate::normalize;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// A word, lowercased, with its byte range in the original text.
    Word {
        text: Cow<'a, str>,
        start: usize,
        end: usize,
    },
    /// Punctuation that ends a clause: . ! ? ; : , ( ) dashes, new lines.
    Break,
}

impl Token<'_> {
    pub fn word(&self) -> Option<&str> {
        match self {
            Token::Word { text, .. } => Some(text),
            Token::Break => None,
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`')
}

fn is_break(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | ':' | ',' | '(' | ')' | '\n' | '—' | '–' | '…' | '"' | '“' | '”'
    )
}

/// Pushes `word` as meant (see [`crate::normalize`]): one token, or several
/// over the same range for "wanna" or "kms".
fn push_normalized<'a>(tokens: &mut Vec<Token<'a>>, word: Cow<'a, str>, start: usize, end: usize) {
    let held = normalize::held_letters(&word);
    let word = held.map_or(word, Cow::Owned);
    let Some(meant) = normalize::replacement(&word) else {
        tokens.push(Token::Word {
            text: word,
            start,
            end,
        });
        return;
    };
    for part in meant.split(' ') {
        tokens.push(Token::Word {
            text: Cow::Borrowed(part),
            start,
            end,
        });
    }
}

/// Splits `text` into words and clause breaks, each word as meant.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_alphanumeric() {
            let mut end = start + c.len_utf8();
            let mut plain = c.is_ascii_lowercase() || c.is_ascii_digit();
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphanumeric() {
                    plain &= d.is_ascii_lowercase() || d.is_ascii_digit();
                } else if is_apostrophe(d) {
                    // Inside a word only when a letter follows: "don't", not "dogs' ".
                    let mut ahead = chars.clone();
                    ahead.next();
                    if !ahead.peek().is_some_and(|&(_, e)| e.is_alphabetic()) {
                        break;
                    }
                    plain &= d == '\'';
                } else {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            let raw = &text[start..end];
            let text = if plain {
                Cow::Borrowed(raw)
            } else if raw.is_ascii() {
                // The same as below, a byte at a time.
                let lower = raw.bytes().map(|b| match b {
                    b'`' => '\'',
                    b => char::from(b.to_ascii_lowercase()),
                });
                Cow::Owned(lower.collect())
            } else {
                Cow::Owned(
                    raw.chars()
                        .map(|c| if is_apostrophe(c) { '\'' } else { c })
                        .flat_map(char::to_lowercase)
                        .collect(),
                )
            };
            push_normalized(&mut tokens, text, start, end);
        } else if is_break(c) && !matches!(tokens.last(), Some(Token::Break) | None) {
            tokens.push(Token::Break);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .iter()
            .map(|t| t.word().unwrap_or("|").to_string())
            .collect()
    }

    #[test]
    fn words_apostrophes_and_breaks() {
        assert_eq!(
            words("I don’t feel OK. Really!"),
            ["i", "don't", "feel", "ok", "|", "really", "|"]
        );
        assert_eq!(words("the dogs' bowls"), ["the", "dogs", "bowls"]);
        assert_eq!(words("self-harm"), ["self", "harm"]);
    }

    #[test]
    fn emoji_and_other_scripts_do_not_break_it() {
        assert_eq!(words("so happy 😊🎉 today"), ["so", "happy", "today"]);
        assert_eq!(words("ÉTÉ naïve"), ["été", "naïve"]);
        assert_eq!(words(""), Vec::<String>::new());
        assert_eq!(words("🙂"), Vec::<String>::new());
    }

    #[test]
    fn words_are_read_as_meant() {
        assert_eq!(words("i dont wanna"), ["i", "don't", "want", "to"]);
        assert_eq!(words("sooo tired rn"), ["so", "tired", "right", "now"]);
        assert_eq!(words("kms"), ["kill", "myself"]);
        let t = tokenize("ok wanna");
        assert!(matches!(
            t[1],
            Token::Word {
                start: 3,
                end: 8,
                ..
            }
        ));
        assert!(matches!(
            t[2],
            Token::Word {
                start: 3,
                end: 8,
                ..
            }
        ));
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Très “sad” now";
        for t in tokenize(text) {
            if let Token::Word {
                text: w,
                start,
                end,
            } = t
            {
                assert_eq!(text[start..end].to_lowercase().replace('’', "'"), w);
            }
        }
    }
}
