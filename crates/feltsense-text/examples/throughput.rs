//! Journal analysis throughput on one core: MB/s over a large generated
//! text, and the latency of a typical 300-word entry (median of many runs).
//!
//! cargo run --release -p feltsense-text --example throughput

use feltsense_core::Vocabulary;
use feltsense_text::Analyzer;
use std::time::Instant;

const ENTRY: &str = "Woke up tired again and didn’t want to get out of bed. Work was the usual: \
I put on a smile in the meeting and told everyone I was fine, but honestly I felt nothing for most \
of the morning, like I was watching my life from outside. At lunch I walked by the river and for a \
moment felt a little calm, maybe even hopeful, which surprised me. Then an email from my manager \
and I was really anxious, not angry exactly, more on edge and a bit ashamed that such a small thing \
got to me. I am not happy with how I handled it. In the evening I called my sister. She made me \
laugh and I felt close to her, grateful even, though part of me was still on autopilot. I keep \
saying I feel bad, but bad isn’t quite it: maybe disappointed, maybe lonely. The physio said my \
shoulders are tight, and they are. Tonight everything feels grey and flat, not sad so much as \
muted, like the volume is turned down. I want to notice more. Tomorrow I will try the breathing \
again, and maybe the body scan, even if it feels silly. I am so tired of being tired. Writing this \
helps a bit. 😶‍🌫️ Some music later, the old songs that used to make me cry. Nothing today. Still.";

fn main() {
    let vocabulary = Vocabulary::embedded();
    let analyzer = Analyzer::embedded(&vocabulary);
    let words = ENTRY.split_whitespace().count();

    let mut latencies: Vec<f64> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(analyzer.analyze(std::hint::black_box(ENTRY)));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    latencies.sort_by(f64::total_cmp);

    let big = ENTRY.repeat(20_000);
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(analyzer.analyze(&big));
            big.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "entry of {words} words ({} bytes): median {:.1} µs, p99 {:.1} µs",
        ENTRY.len(),
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 99 / 100]
    );
    println!(
        "throughput over {:.1} MB: median {:.1} MB/s (one core, 5 runs)",
        big.len() as f64 / 1e6,
        rates[2]
    );
}
