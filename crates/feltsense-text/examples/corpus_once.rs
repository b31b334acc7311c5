//! Each entry of a corpus (one a line) analysed once, patterns, heads and
//! the GoEmotions model (`Analyzer::analyze_shown`), printing only a count: a fixed piece of work to
//! count instructions on, whatever the machine's load:
//!
//! valgrind --tool=callgrind target/profiling/examples/corpus_once entries.txt 300

use feltsense_core::Vocabulary;
use feltsense_text::Analyzer;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), limit) = (args.next(), args.next()) else {
        eprintln!("usage: corpus_once FILE [ENTRIES]");
        std::process::exit(2);
    };
    let limit = match limit.map(|l| l.parse::<usize>()) {
        None => usize::MAX,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("corpus_once: ENTRIES is a whole number");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("corpus_once: {path}: {e}");
        std::process::exit(1);
    });
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let (mut found, mut entries) = (0, 0);
    for entry in text.lines().filter(|l| !l.trim().is_empty()).take(limit) {
        let (a, shown) = analyzer.analyze_shown(entry);
        found += a.feelings.len() + a.phrases.len() + shown.families.len();
        entries += 1;
    }
    println!("{entries} entries, {found} things found");
}
