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
    /// One of these runs of words (`want|wish|going_to` in the data); a
    /// word ending in `*` is any word starting so (`kill*`: kill, killing).
    Literal(Vec<Vec<String>>),
    /// `*`: any one word.
    Any,
    /// `~N`: up to N words of any kind, within the clause.
    Gap(u8),
    /// `$`: the end of a clause or of the text.
    End,
}

impl PatternToken {
    /// The words a match of this token may start with (a `stem*` as its
    /// common inflections, so that it can be looked up).
    fn first_words(&self) -> Vec<String> {
        let PatternToken::Literal(alternatives) = self else {
            return Vec::new();
        };
        let mut words = Vec::new();
        for first in alternatives.iter().filter_map(|a| a.first()) {
            match first.strip_suffix('*') {
                Some(stem) => words.extend(inflections(stem)),
                None => words.push(first.clone()),
            }
        }
        words
    }
}

fn inflections(stem: &str) -> Vec<String> {
    let mut forms: Vec<String> = ["", "s", "es", "ed", "d", "ing", "t", "er"]
        .iter()
        .map(|e| format!("{stem}{e}"))
        .collect();
    if let Some(last) = stem.chars().last() {
        forms.push(format!("{stem}{last}ing"));
        forms.push(format!("{stem}{last}ed"));
    }
    forms
}

/// Everything that can start at one word, longest first.
#[derive(Debug, Default)]
pub struct Starts {
    pub feelings: Vec<(Vec<String>, usize)>,
    pub modifiers: Vec<(Vec<String>, Modifier)>,
    pub phrases: Vec<(Vec<PatternToken>, PhraseKind, Needs)>,
    /// The word's number among the words a pattern needs after its first
    /// ([`Needs`]), if it is one.
    pub needed: Option<u32>,
}

/// The words a pattern cannot match without, past its first token: one
/// group a token (any word of the group will do: the first words of its
/// alternatives), as numbers ([`Starts::needed`]). A sentence lacking every
/// word of a group cannot match the pattern, so it is not tried there; a
/// token with a `stem*` alternative needs nothing here, nor does any token
/// after a `$`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Needs(pub Vec<Vec<u32>>);

impl Needs {
    /// Whether each group has a word in `present` (sorted).
    pub fn met(&self, present: &[u32]) -> bool {
        self.0
            .iter()
            .all(|group| group.iter().any(|w| present.binary_search(w).is_ok()))
    }
}

/// Numbers the words `pattern` needs past its first token.
fn needs(pattern: &[PatternToken], starts: &mut FnvMap<String, Starts>, count: &mut u32) -> Needs {
    let mut groups = Vec::new();
    for token in pattern.iter().skip(1) {
        let PatternToken::Literal(alternatives) = token else {
            // At the last token of a text `$` ends the match whatever
            // follows it (`analysis::match_pattern`), so nothing after it
            // is needed.
            if *token == PatternToken::End {
                break;
            }
            continue;
        };
        let firsts: Vec<&String> = alternatives.iter().filter_map(|a| a.first()).collect();
        if firsts.iter().any(|w| w.ends_with('*')) || firsts.is_empty() {
            continue;
        }
        let group = firsts
            .into_iter()
            .map(|w| {
                let entry = starts.entry(w.clone()).or_default();
                *entry.needed.get_or_insert_with(|| {
                    *count += 1;
                    *count - 1
                })
            })
            .collect();
        groups.push(group);
    }
    Needs(groups)
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
        let (mut forms, mut needed) = (0, 0);
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
            for variant in expand(pattern).map_err(|e| format!("phrases.tsv line {n}: {e}"))? {
                let firsts = variant.first().map(PatternToken::first_words);
                let needs = needs(&variant, &mut starts, &mut needed);
                for first in firsts.unwrap_or_default() {
                    starts.entry(first).or_default().phrases.push((
                        variant.clone(),
                        kind,
                        needs.clone(),
                    ));
                }
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

/// One token of the data's pattern syntax.
fn pattern_token(raw: &str) -> Result<PatternToken, String> {
    if raw == "*" {
        return Ok(PatternToken::Any);
    }
    if raw == "$" {
        return Ok(PatternToken::End);
    }
    if let Some(n) = raw.strip_prefix('~') {
        let n: u8 = n
            .parse()
            .map_err(|_| format!("'{raw}': a gap is ~ and a number of words"))?;
        return Ok(PatternToken::Gap(n));
    }
    let alternatives = raw
        .split('|')
        .map(|a| a.split('_').map(str::to_string).collect::<Vec<_>>())
        .collect::<Vec<_>>();
    if alternatives
        .iter()
        .flatten()
        .any(|w| w.is_empty() || w == "*")
    {
        return Err(format!("'{raw}': an empty word"));
    }
    Ok(PatternToken::Literal(alternatives))
}

/// A pattern with `?optional` tokens as every variant, each starting with
/// a word (a leading `*` or gap adds nothing to a match anywhere).
fn expand(pattern: &str) -> Result<Vec<Vec<PatternToken>>, String> {
    let mut variants: Vec<Vec<PatternToken>> = vec![Vec::new()];
    for raw in pattern.split_whitespace() {
        let raw = raw.to_lowercase();
        if let Some(optional) = raw.strip_prefix('?') {
            let token = pattern_token(optional)?;
            let with: Vec<Vec<PatternToken>> = variants
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    v.push(token.clone());
                    v
                })
                .collect();
            variants.extend(with);
        } else {
            let token = pattern_token(&raw)?;
            variants.iter_mut().for_each(|v| v.push(token.clone()));
        }
    }
    for v in &mut variants {
        while matches!(
            v.first(),
            Some(PatternToken::Any | PatternToken::Gap(_) | PatternToken::End)
        ) {
            v.remove(0);
        }
    }
    variants.retain(|v| !v.is_empty());
    Ok(variants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_tokens_expand_into_variants() {
        let word = |w: &str| PatternToken::Literal(vec![vec![w.to_string()]]);
        let v = expand("feel ?so empty").unwrap();
        assert_eq!(v.len(), 2);
        assert!(v.contains(&vec![word("feel"), word("empty")]));
        let any = expand("* want to die").unwrap();
        assert_eq!(any[0][0], word("want"));
        let v = expand("want|going_to ~2 kill* myself").unwrap();
        let run = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            v[0],
            [
                PatternToken::Literal(vec![run(&["want"]), run(&["going", "to"])]),
                PatternToken::Gap(2),
                PatternToken::Literal(vec![run(&["kill*"])]),
                word("myself")
            ]
        );
        assert!(v[0][0].first_words().contains(&"going".to_string()));
        let starts = PatternToken::Literal(vec![run(&["cut*"])]).first_words();
        assert!(starts.contains(&"cutting".to_string()));
        assert!(expand("want ~x die").is_err());
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
