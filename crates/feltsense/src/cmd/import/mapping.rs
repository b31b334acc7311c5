//! The ESM mapping file (TOML), documented in the README. Every mistake in
//! it is reported at its line and column in that file, naming the file.

use feltsense_core::{esm_import, Vocabulary};
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MapFile {
    time: String,
    time_format: Option<String>,
    participant: Option<String>,
    scale: Spanned<Scale>,
    items: BTreeMap<String, Spanned<String>>,
    only: Option<Only>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Scale {
    min: f64,
    max: f64,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Only {
    column: String,
    value: String,
}

/// The mapping in `text` (the file `shown`), checked against the
/// vocabulary; a mistake is `shown: line L, column C: what`.
pub fn parse(
    shown: &str,
    text: &str,
    vocabulary: &Vocabulary,
) -> Result<esm_import::Mapping, String> {
    let at = |span: std::ops::Range<usize>, message: &str| {
        format!("{shown}: {}: {message}", position(text, span.start))
    };
    let file: MapFile = toml::from_str(text).map_err(|e| match e.span() {
        Some(span) => at(span, e.message()),
        None => format!("{shown}: {}", e.message()),
    })?;
    let scale = file.scale.get_ref();
    if !(scale.min.is_finite() && scale.max.is_finite()) || scale.max <= scale.min {
        return Err(at(
            file.scale.span(),
            "the scale's max must be above its min (both plain numbers)",
        ));
    }
    if let Some(word) = file
        .items
        .values()
        .find(|w| vocabulary.get(w.get_ref()).is_none())
    {
        let message = format!(
            "'{}' is not a feeling word of the vocabulary (`feltsense vocabulary` lists them)",
            word.get_ref()
        );
        return Err(at(word.span(), &message));
    }
    Ok(esm_import::Mapping {
        time_column: file.time,
        time_format: file.time_format,
        min: scale.min,
        max: scale.max,
        items: file
            .items
            .into_iter()
            .map(|(column, word)| (column, word.into_inner()))
            .collect(),
        only: file.only.map(|o| (o.column, o.value)),
        participant: file.participant,
    })
}

/// "line L, column C" (1-based, columns in characters) of byte `offset`.
fn position(text: &str, offset: usize) -> String {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "time = \"ts\"\n[scale]\nmin = 1\nmax = 7\n[items]\njoy = \"happy\"\n";

    #[test]
    fn a_good_mapping_is_read() {
        let m = parse("map.toml", GOOD, &Vocabulary::embedded()).unwrap();
        assert_eq!((m.min, m.max, m.items.len()), (1.0, 7.0, 1));
        assert_eq!(m.participant, None);
    }

    #[test]
    fn mistakes_name_the_file_line_and_column() {
        let v = Vocabulary::embedded();
        let err = parse("map.toml", &GOOD.replace("\"happy\"", "\"glee\""), &v).unwrap_err();
        assert!(
            err.starts_with("map.toml: line 6, column 7: 'glee'"),
            "{err}"
        );
        let err = parse("map.toml", &GOOD.replace("max = 7", "max = 0"), &v).unwrap_err();
        assert!(err.starts_with("map.toml: line 2, column 1:"), "{err}");
        let err = parse("map.toml", &GOOD.replace("min = 1", "min = \"one\""), &v).unwrap_err();
        assert!(err.starts_with("map.toml: line 3, column 7:"), "{err}");
        let err = parse("m.toml", "time = \"ts\"\nscale = 3\n", &v).unwrap_err();
        assert!(err.starts_with("m.toml: line 2"), "{err}");
    }
}
