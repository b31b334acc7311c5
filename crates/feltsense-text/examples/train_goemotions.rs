//! Trains the model of feelings that are shown rather than named
//! (`feltsense_text::model`) on GoEmotions' `train.tsv` and writes
//! `goemotions.bin` into OUT. Seeded and single-threaded: the same command
//! gives byte-identical weights.
//!
//! A fixed tenth of `train.tsv` (chosen by a hash of the comment id) is held
//! out for validation: the polarity offsets and the families' thresholds are
//! chosen on it, with the quantised weights, and its scores are printed.
//! `test.tsv` is not read here; `examples/goemotions.rs` reports on it.
//!
//! Training: one-vs-rest logistic regression per family and a softmax over
//! the three polarities, sharing one hashed feature space (see the model's
//! docs), fitted with AdaGrad and an L2 penalty on the weights a comment
//! touches, several passes in a seeded order.
//!
//! The defaults are the settings chosen on the validation part (each of
//! buckets 2^16 or 2^17, character n-grams none, 2–5, 3–5, 3–6 or 4–5,
//! learning rate 0.5 to 0.05, 4 to 15 passes, L2 0 to 1e-4 and a positive
//! weight of 1 to 3 was tried; see BENCHMARKS.md).
//!
//! cargo run --release -p feltsense-text --example train_goemotions -- DIR OUT [--buckets LOG2] [--epochs N] [--lr X] [--l2 X] [--chars MIN-MAX] [--no-bigrams] [--positive-weight X]

use feltsense_text::eval::{
    gold_polarity, load, macro_f1_from, polarity_map, Example, PolarityScores, Score,
};
use feltsense_text::model::{features, FeatureSpec, Model, Polarity, FAMILIES, OUTPUTS};
use std::collections::BTreeMap;
use std::path::PathBuf;

const SEED: u64 = 15;
/// One comment in this many goes to validation.
const VALIDATION_ONE_IN: u64 = 10;

struct Settings {
    spec: FeatureSpec,
    epochs: usize,
    lr: f64,
    l2: f64,
    positive_weight: f64,
}

/// A comment ready for training: its feature buckets and gold answers.
struct Row {
    buckets: Vec<u32>,
    polarity: Option<usize>,
    families: [bool; FAMILIES.len()],
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (dir, out, settings) = parse_args()?;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read =
        |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
    let examples = load(
        &read(dir.join("emotions.txt"))?,
        &read(dir.join("train.tsv"))?,
        &read(root.join("eval/goemotions_families.tsv"))?,
    )?;
    let polarities = polarity_map(&read(root.join("eval/goemotions_polarity.tsv"))?)?;
    let rows = |part: &[&Example]| -> Vec<Row> {
        part.iter()
            .map(|e| Row {
                buckets: features(&e.text, &settings.spec),
                polarity: gold_polarity(&e.labels, &polarities).map(|p| p as usize),
                families: FAMILIES.map(|f| e.families.contains(&f)),
            })
            .collect()
    };
    let (validation, train): (Vec<&Example>, Vec<&Example>) = examples
        .iter()
        .partition(|e| mix(fnv(&e.id) ^ SEED).is_multiple_of(VALIDATION_ONE_IN));
    println!(
        "train {} comments, validation {}",
        train.len(),
        validation.len()
    );
    let (train_rows, validation_rows) = (rows(&train), rows(&validation));
    let (weights, biases) = fit(&train_rows, &settings);
    let mut model = Model::quantise(settings.spec, &weights, biases);
    choose_on_validation(&mut model, &validation, &validation_rows);
    report(&model, &validation, &validation_rows);
    std::fs::create_dir_all(&out)?;
    let path = out.join("goemotions.bin");
    std::fs::write(&path, model.to_bytes())?;
    println!(
        "wrote {} ({} bytes)",
        path.display(),
        model.to_bytes().len()
    );
    Ok(())
}

fn parse_args() -> Result<(PathBuf, PathBuf, Settings), String> {
    let usage = "usage: train_goemotions DIR OUT [--buckets LOG2] [--epochs N] [--lr X] [--l2 X] [--chars MIN-MAX] [--no-bigrams] [--positive-weight X]";
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let out = PathBuf::from(args.next().ok_or(usage)?);
    let mut s = Settings {
        spec: FeatureSpec {
            log2_buckets: 16,
            bigrams: true,
            char_min: 3,
            char_max: 5,
        },
        epochs: 12,
        lr: 0.05,
        l2: 1e-4,
        positive_weight: 1.0,
    };
    while let Some(flag) = args.next() {
        if flag == "--no-bigrams" {
            s.spec.bigrams = false;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = |v: &str| {
            v.parse::<f64>()
                .map_err(|_| format!("{flag}: '{v}' is not a number"))
        };
        match flag.as_str() {
            "--buckets" => s.spec.log2_buckets = number(&value)? as u8,
            "--epochs" => s.epochs = number(&value)? as usize,
            "--lr" => s.lr = number(&value)?,
            "--l2" => s.l2 = number(&value)?,
            "--positive-weight" => s.positive_weight = number(&value)?,
            "--chars" => {
                let (a, b) = value
                    .split_once('-')
                    .ok_or("--chars takes MIN-MAX, such as 3-5")?;
                (s.spec.char_min, s.spec.char_max) = (number(a)? as u8, number(b)? as u8);
            }
            _ => return Err(format!("unknown flag {flag}\n{usage}")),
        }
    }
    Ok((dir, out, s))
}

/// AdaGrad over the rows, `epochs` passes in a seeded order.
fn fit(rows: &[Row], s: &Settings) -> (Vec<f64>, [f64; OUTPUTS]) {
    let size = s.spec.buckets() * OUTPUTS;
    let (mut w, mut g2) = (vec![0f64; size], vec![0f64; size]);
    let (mut b, mut b2) = ([0f64; OUTPUTS], [0f64; OUTPUTS]);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut rng = SEED;
    for _ in 0..s.epochs {
        shuffle(&mut order, &mut rng);
        for &i in &order {
            let row = &rows[i];
            if row.buckets.is_empty() {
                continue;
            }
            let x = 1.0 / (row.buckets.len() as f64).sqrt();
            let grad = gradient(row, &logits(row, x, &w, &b), s.positive_weight);
            for o in 0..OUTPUTS {
                b2[o] += grad[o] * grad[o];
                b[o] -= s.lr * grad[o] / (b2[o].sqrt() + 1e-8);
            }
            for &k in &row.buckets {
                let at = k as usize * OUTPUTS;
                for o in 0..OUTPUTS {
                    let g = grad[o] * x + s.l2 * w[at + o];
                    g2[at + o] += g * g;
                    w[at + o] -= s.lr * g / (g2[at + o].sqrt() + 1e-8);
                }
            }
        }
    }
    (w, b)
}

fn logits(row: &Row, x: f64, w: &[f64], b: &[f64; OUTPUTS]) -> [f64; OUTPUTS] {
    let mut z = *b;
    for &k in &row.buckets {
        let at = k as usize * OUTPUTS;
        for o in 0..OUTPUTS {
            z[o] += w[at + o] * x;
        }
    }
    z
}

/// d loss / d logit: softmax cross-entropy for polarity (when the comment
/// has one), weighted logistic loss per family.
fn gradient(row: &Row, z: &[f64; OUTPUTS], positive_weight: f64) -> [f64; OUTPUTS] {
    let mut grad = [0f64; OUTPUTS];
    if let Some(gold) = row.polarity {
        let max = z[..3].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = z[..3].iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = e.iter().sum();
        for k in 0..3 {
            grad[k] = e[k] / sum - f64::from(u8::from(k == gold));
        }
    }
    for (k, &gold) in row.families.iter().enumerate() {
        let p = 1.0 / (1.0 + (-z[3 + k]).exp());
        grad[3 + k] = if gold { (p - 1.0) * positive_weight } else { p };
    }
    grad
}

/// Polarity offsets (added to the unpleasant and neutral biases) that give
/// the best validation macro-F1, and each family's threshold that gives its
/// best validation F1, all with the quantised weights.
fn choose_on_validation(model: &mut Model, examples: &[&Example], rows: &[Row]) {
    let all = logits_of(model, examples);
    let scored: Vec<(usize, [f32; OUTPUTS])> = rows
        .iter()
        .zip(&all)
        .filter_map(|(r, z)| Some((r.polarity?, (*z)?)))
        .collect();
    let grid: Vec<f32> = (-60..=60).map(|i| i as f32 * 0.05).collect();
    let mut best = (f64::NEG_INFINITY, 0.0, 0.0);
    for &du in &grid {
        for &dn in &grid {
            let f1 = PolarityScores::new(scored.iter().map(|(gold, z)| {
                let shifted = [z[0], z[1] + du, z[2] + dn];
                (Polarity::ALL[*gold], Polarity::ALL[argmax(&shifted)])
            }))
            .macro_f1();
            if f1 > best.0 {
                best = (f1, du, dn);
            }
        }
    }
    model.biases[1] += best.1;
    model.biases[2] += best.2;
    for k in 0..FAMILIES.len() {
        let pairs: Vec<(f32, bool)> = rows
            .iter()
            .zip(&all)
            .map(|(r, z)| (z.map_or(f32::NEG_INFINITY, |z| z[3 + k]), r.families[k]))
            .collect();
        model.thresholds[k] = best_threshold(pairs);
    }
}

fn logits_of(model: &Model, examples: &[&Example]) -> Vec<Option<[f32; OUTPUTS]>> {
    examples.iter().map(|e| model.logits(&e.text)).collect()
}

fn argmax(z: &[f32; 3]) -> usize {
    (1..3).fold(0, |best, k| if z[k] > z[best] { k } else { best })
}

/// The cut through the sorted logits with the best F1, halfway between the
/// last logit kept and the next.
fn best_threshold(mut pairs: Vec<(f32, bool)>) -> f32 {
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let positives = pairs.iter().filter(|p| p.1).count();
    let (mut tp, mut best_f1, mut best_at) = (0usize, -1.0f64, 0usize);
    for (i, p) in pairs.iter().enumerate() {
        tp += usize::from(p.1);
        let f1 = 2.0 * tp as f64 / (i + 1 + positives) as f64;
        let next_differs = pairs.get(i + 1).is_none_or(|n| n.0 < p.0);
        if next_differs && f1 > best_f1 {
            (best_f1, best_at) = (f1, i);
        }
    }
    match pairs.get(best_at + 1) {
        Some(next) if next.0.is_finite() => (pairs[best_at].0 + next.0) / 2.0,
        _ => pairs[best_at].0,
    }
}

fn report(model: &Model, examples: &[&Example], rows: &[Row]) {
    let all = logits_of(model, examples);
    let polarity = PolarityScores::new(rows.iter().zip(&all).filter_map(|(r, z)| {
        let predicted = z.map_or(Polarity::Neutral, |z| Model::polarity(&z));
        Some((Polarity::ALL[r.polarity?], predicted))
    }));
    println!(
        "\nvalidation polarity ({} comments): macro-F1 {:.4}, accuracy {:.4}",
        polarity.n,
        polarity.macro_f1(),
        polarity.accuracy()
    );
    for (p, s) in &polarity.classes {
        println!(
            "  {:<10} F1 {:.4} (P {:.3}, R {:.3})",
            p.as_str(),
            s.f1(),
            s.precision(),
            s.recall()
        );
    }
    let mut families = BTreeMap::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        let mut s = Score {
            tp: 0,
            fp: 0,
            fn_: 0,
        };
        for (r, z) in rows.iter().zip(&all) {
            let predicted = z.is_some_and(|z| z[3 + k] >= model.thresholds[k]);
            match (r.families[k], predicted) {
                (true, true) => s.tp += 1,
                (false, true) => s.fp += 1,
                (true, false) => s.fn_ += 1,
                (false, false) => {}
            }
        }
        println!(
            "  {:<10} F1 {:.4} (P {:.3}, R {:.3}, support {})",
            family.as_str(),
            s.f1(),
            s.precision(),
            s.recall(),
            s.support()
        );
        families.insert(*family, s);
    }
    println!(
        "validation family macro-F1 (support >= 50): {:.4}",
        macro_f1_from(&families, 50)
    );
}

fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let j = (mix(*state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
