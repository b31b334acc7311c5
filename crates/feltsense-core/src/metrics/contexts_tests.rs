//! Expected values come from contexts_expected.py (standard-library Python,
//! t quantiles by numerical integration) and, for Wilson and Newcombe, from
//! the worked examples of Newcombe 1998.

use super::*;
use crate::metrics::insights::tests::{check, feel};
use crate::CheckInDraft;

const FRIENDS: [u8; 14] = [7, 8, 6, 9, 7, 8, 7, 6, 8, 9, 7, 8, 6, 7];
const REST: [u8; 16] = [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 3, 6, 5, 4, 6];

fn near(got: f64, want: f64, tolerance: f64) {
    assert!((got - want).abs() < tolerance, "{got} against {want}");
}

fn same(got: Interval, want: (f64, f64, f64), tolerance: f64) {
    near(got.difference, want.0, 1e-6);
    near(got.low, want.1, tolerance);
    near(got.high, want.2, tolerance);
}

#[test]
fn welch_matches_an_independent_computation() {
    let f: Vec<f64> = FRIENDS.iter().map(|&x| f64::from(x)).collect();
    let r: Vec<f64> = REST.iter().map(|&x| f64::from(x)).collect();
    // The t table has three decimals: bounds agree to within 0.002.
    same(welch(&f, &r).unwrap(), (2.232143, 1.469284, 2.995002), 2e-3);
    assert!(welch(&[1.0], &r).is_none(), "one value has no spread");
}

#[test]
fn wilson_and_newcombe_match_the_published_examples() {
    let (low, high) = wilson(81, 263);
    near(low, 0.2553, 1e-4);
    near(high, 0.3662, 1e-4);
    same(
        newcombe(56, 70, 48, 80).unwrap(),
        (0.2, 0.0524, 0.3339),
        1e-4,
    );
    assert_eq!(wilson(0, 0), (0.0, 1.0));
    assert!(newcombe(1, 0, 1, 2).is_none());
}

fn friends_fixture() -> Vec<CheckIn> {
    let mut all = Vec::new();
    for (i, &clarity) in FRIENDS.iter().enumerate() {
        let mut d = if i < 2 {
            nothing()
        } else {
            feel(&[("calm", 5)])
        };
        d.clarity = Some(clarity);
        d.context.with = Some(if i % 2 == 0 { "Friends" } else { "friends" }.into());
        all.push(check(i as i64, d));
    }
    for (i, &clarity) in REST.iter().enumerate() {
        let mut d = if i < 10 {
            nothing()
        } else {
            feel(&[("calm", 5)])
        };
        d.clarity = Some(clarity);
        all.push(check(100 + i as i64, d));
    }
    all
}

fn nothing() -> CheckInDraft {
    CheckInDraft {
        nothing: true,
        ..Default::default()
    }
}

#[test]
fn check_ins_with_friends_are_clearer_stronger_and_less_often_numb() {
    let all = friends_fixture();
    let c = compare_contexts(&all, &Vocabulary::embedded());
    assert_eq!(c.contexts, 1, "\"Friends\" and \"friends\" are one context");
    assert_eq!(c.comparisons, 3, "no pleasantness was given");
    let by = |m: Measure| c.differences.iter().find(|d| d.measure == m).unwrap();
    let clarity = by(Measure::Clarity);
    assert_eq!((clarity.n_inside, clarity.n_rest), (14, 16));
    assert_eq!(clarity.value, "Friends");
    same(clarity.interval, (2.232143, 1.469284, 2.995002), 2e-3);
    same(
        by(Measure::Intensity).interval,
        (2.410714, 0.787168, 4.034261),
        3e-3,
    );
    assert_eq!(
        clarity.sentence(),
        "Check-ins with Friends: feelings clearer by about 2.2 of 10 (range 1.5 to 3.0, 14 check-ins)."
    );
    assert_eq!(
        by(Measure::Nothing).sentence(),
        "Check-ins with Friends: \"can't feel much\" less often by about 48.2 in 100 check-ins (range 13.2 to 69.8, 14 check-ins)."
    );
    same(
        by(Measure::Nothing).interval,
        (-0.482143, -0.698318, -0.131791),
        1e-5,
    );
}

#[test]
fn thirteen_check_ins_are_too_few_and_no_difference_shows_nothing() {
    let v = Vocabulary::embedded();
    let mut all = friends_fixture();
    all.remove(0);
    assert_eq!(compare_contexts(&all, &v), Comparison::default());
    // The same clarity inside and out: compared, nothing to show.
    let even: Vec<CheckIn> = (0..30)
        .map(|i| {
            let mut d = feel(&[("calm", 5)]);
            d.clarity = Some(4 + (i % 3) as u8);
            d.context.doing = (i % 2 == 0).then(|| "work".into());
            check(i, d)
        })
        .collect();
    let c = compare_contexts(&even, &v);
    assert_eq!((c.contexts, c.comparisons), (1, 3));
    assert!(c.differences.is_empty(), "{:?}", c.differences);
}
