//! The lexicon, kept as data (`data/*.tsv`, compiled in): surface forms of
//! feelings, modifiers (intensifiers, diminishers, negators), phrase
//! patterns (numbness, masking, crisis) and vague words with finer options.

use feltsense_core::fnv::FnvMap;
use feltsense_core::Vocabulary;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModifierKind {
    Intensifier,
    Diminisher,
    Negator,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Modifier {
    pub kind: ModifierKind,
    pub factor: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhraseKind {
    Numb,
    Masking,
    Crisis,
}

/// One token of a phrase pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternToken {
    Literal(String),
    /// `*`: any one word.
    Any,
}

/// Everything that can start at one word, longest first.
#[derive(Debug, Default)]
pub struct Starts {
    pub feelings: Vec<(Vec<String>, usize)>,
    pub modifiers: Vec<(Vec<String>, Modifier)>,
    pub phrases: Vec<(Vec<PatternToken>, PhraseKind)>,
}

#[derive(Debug)]
pub struct Lexicon {
    pub(crate) starts: FnvMap<String, Starts>,
    pub(crate) vague: FnvMap<String, Vec<String>>,
    /// Counts, for the record: surface forms, modifiers, phrase variants.
    pub forms: usize,
}

/// The text files of a lexicon.
pub struct Sources<'a> {
    pub lexicon: &'a str,
    pub modifiers: &'a str,
    pub phrases: &'a str,
    pub vague: &'a str,
}

pub const EMBEDDED: Sources<'static> = Sources {
    lexicon: include_str!("../data/lexicon.tsv"),
    modifiers: include_str!("../data/modifiers.tsv"),
    phrases: include_str!("../data/phrases.tsv"),
    vague: include_str!("../data/vague.tsv"),
};

/// The data lines of a file: (line number, tab-separated fields).
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n, l.split('\t').map(str::trim).collect()))
}

fn tokens(form: &str) -> Vec<String> {
    form.split_whitespace().map(str::to_lowercase).collect()
}

impl Lexicon {
    /// Parses the four files, checking every feeling against `vocabulary`.
    pub fn parse(sources: &Sources<'_>, vocabulary: &Vocabulary) -> Result<Lexicon, String> {
        let mut starts: FnvMap<String, Starts> = FnvMap::default();
        let mut forms = 0;
        let word = |file: &str, n: usize, w: &str| {
            vocabulary
                .position(w)
                .ok_or_else(|| format!("{file} line {n}: '{w}' is not a vocabulary word"))
        };
        for (n, f) in lines(sources.lexicon) {
            let [form, w] = f[..] else {
                return Err(format!("lexicon.tsv line {n}: expected form<TAB>word"));
            };
            let toks = tokens(form);
            let first = toks
                .first()
                .cloned()
                .ok_or_else(|| format!("lexicon.tsv line {n}: empty form"))?;
            starts
                .entry(first)
                .or_default()
                .feelings
                .push((toks, word("lexicon.tsv", n, w)?));
            forms += 1;
        }
        for (n, f) in lines(sources.modifiers) {
            let [form, kind, factor] = f[..] else {
                return Err(format!(
                    "modifiers.tsv line {n}: expected form<TAB>kind<TAB>factor"
                ));
            };
            let kind = match kind {
                "intensifier" => ModifierKind::Intensifier,
                "diminisher" => ModifierKind::Diminisher,
                "negator" => ModifierKind::Negator,
                other => return Err(format!("modifiers.tsv line {n}: unknown kind '{other}'")),
            };
            let factor: f64 = factor.parse().map_err(|_| {
                format!("modifiers.tsv line {n}: factor '{factor}' is not a number")
            })?;
            let toks = tokens(form);
            let first = toks
                .first()
                .cloned()
                .ok_or_else(|| format!("modifiers.tsv line {n}: empty form"))?;
            starts
                .entry(first)
                .or_default()
                .modifiers
                .push((toks, Modifier { kind, factor }));
        }
        for (n, f) in lines(sources.phrases) {
            let [kind, pattern] = f[..] else {
                return Err(format!("phrases.tsv line {n}: expected kind<TAB>pattern"));
            };
            let kind = match kind {
                "numb" => PhraseKind::Numb,
                "masking" => PhraseKind::Masking,
                "crisis" => PhraseKind::Crisis,
                other => return Err(format!("phrases.tsv line {n}: unknown kind '{other}'")),
            };
            for variant in expand(pattern) {
                let Some(PatternToken::Literal(first)) = variant.first().cloned() else {
                    continue;
                };
                starts
                    .entry(first)
                    .or_default()
                    .phrases
                    .push((variant, kind));
            }
        }
        for s in starts.values_mut() {
            s.feelings.sort_by_key(|f| std::cmp::Reverse(f.0.len()));
            s.modifiers.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
            s.phrases.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        }
        let mut vague = FnvMap::default();
        for (n, f) in lines(sources.vague) {
            let [w, options] = f[..] else {
                return Err(format!("vague.tsv line {n}: expected word<TAB>options"));
            };
            let options: Vec<String> = options
                .split(',')
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect();
            for o in &options {
                word("vague.tsv", n, o)?;
            }
            vague.insert(tokens(w).join(" "), options);
        }
        Ok(Lexicon {
            starts,
            vague,
            forms,
        })
    }
}

/// A pattern with `?optional` tokens as every variant without wildcards at
/// the start (a leading `*` adds nothing to a match anywhere).
fn expand(pattern: &str) -> Vec<Vec<PatternToken>> {
    let mut variants: Vec<Vec<PatternToken>> = vec![Vec::new()];
    for raw in pattern.split_whitespace() {
        let raw = raw.to_lowercase();
        if raw == "*" {
            variants.iter_mut().for_each(|v| v.push(PatternToken::Any));
        } else if let Some(optional) = raw.strip_prefix('?') {
            let with: Vec<Vec<PatternToken>> = variants
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    v.push(PatternToken::Literal(optional.to_string()));
                    v
                })
                .collect();
            variants.extend(with);
        } else {
            variants
                .iter_mut()
                .for_each(|v| v.push(PatternToken::Literal(raw.clone())));
        }
    }
    for v in &mut variants {
        while v.first() == Some(&PatternToken::Any) {
            v.remove(0);
        }
    }
    variants.retain(|v| !v.is_empty());
    variants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_tokens_expand_into_variants() {
        let v = expand("feel ?so empty");
        assert_eq!(v.len(), 2);
        assert!(v.contains(&vec![
            PatternToken::Literal("feel".into()),
            PatternToken::Literal("empty".into())
        ]));
        let any = expand("* want to die");
        assert_eq!(any[0][0], PatternToken::Literal("want".into()));
    }

    #[test]
    fn the_embedded_lexicon_parses_against_the_vocabulary() {
        let lexicon = Lexicon::parse(&EMBEDDED, &Vocabulary::embedded()).unwrap();
        assert!(
            lexicon.forms >= 1500,
            "only {} surface forms",
            lexicon.forms
        );
        assert!(lexicon.vague.contains_key("bad"));
    }

    #[test]
    fn bad_data_is_located() {
        let v = Vocabulary::embedded();
        let bad = Sources {
            lexicon: "sad\tsad\nglum\tnot-a-word\n",
            modifiers: "",
            phrases: "",
            vague: "",
        };
        assert_eq!(
            Lexicon::parse(&bad, &v).unwrap_err(),
            "lexicon.tsv line 2: 'not-a-word' is not a vocabulary word"
        );
        let bad = Sources {
            lexicon: "",
            modifiers: "very\tboost\t2\n",
            phrases: "",
            vague: "",
        };
        assert!(Lexicon::parse(&bad, &v)
            .unwrap_err()
            .contains("unknown kind 'boost'"));
    }
}
