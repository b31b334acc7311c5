//! The header line: which character separates the fields (`,`, `;` or a
//! tab, given or detected), the column names, and names given twice.

/// `--delimiter`: `,` `;` `|`, or `tab` (also `\t` or a tab itself).
pub fn delimiter(text: &str) -> Result<u8, String> {
    match text {
        "," => Ok(b','),
        ";" => Ok(b';'),
        "|" => Ok(b'|'),
        "tab" | "TAB" | "\\t" | "\t" => Ok(b'\t'),
        _ => Err(format!("'{text}' is not one of , ; | or tab")),
    }
}

/// The separator the header line uses most, outside quotes: a tab or `;`
/// only when it outnumbers commas, so a plain CSV stays a CSV.
pub fn detect(line: &[u8]) -> u8 {
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let [comma, tab, semicolon] = counts;
    if tab > comma && tab >= semicolon {
        b'\t'
    } else if semicolon > comma {
        b';'
    } else {
        b','
    }
}

/// How a separator is named in a message.
pub fn name(delimiter: u8) -> &'static str {
    match delimiter {
        b'\t' => "tab-separated",
        b';' => "semicolon-separated",
        b'|' => "separated by |",
        _ => "comma-separated",
    }
}

/// The column names of the header line, trimmed (and without a byte
/// order mark); `None` when there is no header.
pub fn names(line: &[u8], delimiter: u8) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(line);
    let record = reader.records().next()?.ok()?;
    Some(
        record
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect(),
    )
}

/// A warning for each name the header gives more than once: the first
/// such column is the one used.
pub fn duplicates(names: &[String]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            continue;
        }
        let at: Vec<String> = (i..names.len())
            .filter(|&j| names[j] == *name)
            .map(|j| (j + 1).to_string())
            .collect();
        if at.len() > 1 {
            warnings.push(format!(
                "The header names '{}' more than once (columns {}); the first of them is used.",
                super::pipeline::excerpt(name.as_bytes()),
                at.join(", ")
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_found_from_the_header() {
        assert_eq!(detect(b"id\tday\tbeep\thappy\n"), b'\t');
        assert_eq!(detect(b"id;day;beep;\"a,b\"\n"), b';');
        assert_eq!(detect(b"id,day,beep\n"), b',');
        assert_eq!(
            detect(b"\"x;y;z\",a,b\n"),
            b',',
            "quoted separators do not count"
        );
        assert_eq!(detect(b"single\n"), b',');
        assert_eq!(delimiter("tab"), Ok(b'\t'));
        assert!(delimiter(":").is_err());
    }

    #[test]
    fn names_given_twice_are_warned_about_once_each() {
        let names: Vec<String> = ["id", "happy", "sad", "happy", "happy", "id"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let warnings = duplicates(&names);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("'id'") && warnings[0].contains("columns 1, 6"));
        assert!(warnings[1].contains("'happy'") && warnings[1].contains("columns 2, 4, 5"));
        assert_eq!(names_of("a;b", b';'), ["a", "b"]);
    }

    fn names_of(line: &str, d: u8) -> Vec<String> {
        names(line.as_bytes(), d).unwrap()
    }
}
