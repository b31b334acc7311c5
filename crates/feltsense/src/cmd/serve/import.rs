//! The web app's import reads files with `feltsense import`'s own readers,
//! so the settings page and the command line accept and refuse the same.

use crate::cmd::import::{read, Reading, Source};
use anyhow::Context as _;
use feltsense_web::{ImportFile, Importer, Incoming};
use std::sync::Arc;

/// The reader the web app calls for each import form.
pub fn importer() -> Importer {
    Arc::new(|file: &ImportFile| read_file(file).map_err(|e| format!("{e:#}")))
}

fn read_file(file: &ImportFile) -> anyhow::Result<Incoming> {
    let shown = file.path.display().to_string();
    let text =
        std::fs::read_to_string(&file.path).with_context(|| format!("could not read {shown}"))?;
    let source = match file.kind.as_str() {
        "daylio" => Source::Daylio,
        "esm" => Source::Esm,
        _ => Source::Feltsense,
    };
    if source == Source::Esm && file.map.is_none() {
        anyhow::bail!("an experience-sampling file needs its mapping file: please say where it is");
    }
    let map = match &file.map {
        Some(p) if source == Source::Esm => Some((
            p.display().to_string(),
            std::fs::read_to_string(p)
                .with_context(|| format!("could not read {}", p.display()))?,
        )),
        _ => None,
    };
    let reading = Reading {
        shown: &shown,
        source: Some(source),
        mood_map: Some(file.mood_map.as_str()).filter(|m| !m.is_empty()),
        mapping: map.as_ref().map(|(p, t)| (p.as_str(), t.as_str())),
        accepted: crate::cmd::accepted(),
    };
    let incoming = read(&reading, &text)?;
    Ok(Incoming {
        format: incoming.format,
        checkins: incoming.checkins,
        journal: incoming.journal,
        bridges: incoming.bridges,
        assessments: incoming.assessments,
        safety_plan: incoming.safety_plan,
        fixed_items: incoming.fixed_items,
        notes: incoming.notes.into_iter().chain(incoming.preview).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_web_reads_daylio_as_the_command_line_does_and_refuses_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("daylio.csv");
        let csv = "full_date,date,weekday,time,mood,activities,note_title,note\n\
                   2026-11-02,November 2,Monday,9:15 am,good,friends | walk,,a fine walk\n";
        std::fs::write(&path, csv).unwrap();
        let file = ImportFile {
            path: path.clone(),
            kind: "daylio".into(),
            ..ImportFile::default()
        };
        let read = importer()(&file).unwrap();
        assert_eq!((read.format, read.checkins.len()), ("daylio", 1));
        assert!(read.notes.iter().any(|n| n.starts_with("Mood map:")));
        std::fs::write(
            &path,
            format!("{csv}2026-11-03,November 3,Tuesday,9:15 am,,,,\n"),
        )
        .unwrap();
        let refused = importer()(&file).unwrap_err();
        assert!(refused.contains("line 3"), "{refused}");
        let esm = ImportFile {
            kind: "esm".into(),
            ..file
        };
        assert!(importer()(&esm).unwrap_err().contains("mapping file"));
    }
}
