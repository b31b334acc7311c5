//! Granularity from fixed items: 1 − ICC(3,k) per valence over the
//! check-ins that rated every chosen item of that valence, as `analyze`
//! computes it for a research participant (`esm.rs`), from
//! [`MIN_GRANULARITY`] such check-ins (DESIGN.md).

use super::insights::{Figure, Insights, MIN_GRANULARITY};
use super::stats::icc3k_rows;
use crate::items::{valence, FixedItems, MIN_PER_VALENCE};
use crate::{CheckIn, Vocabulary};

/// The ratings of `words` at one check-in, when it rated every one.
fn row(c: &CheckIn, words: &[&str]) -> Option<Vec<f64>> {
    words
        .iter()
        .map(|w| {
            let i = c.items.iter().find(|i| i.word == *w)?;
            Some(f64::from(i.rating))
        })
        .collect()
}

fn one_valence(check_ins: &[&CheckIn], words: &[&str]) -> Figure {
    if words.len() < MIN_PER_VALENCE {
        return Figure::new(None, 0, MIN_GRANULARITY);
    }
    let rows: Vec<Vec<f64>> = check_ins.iter().filter_map(|c| row(c, words)).collect();
    let icc = icc3k_rows(rows.iter().map(Vec::as_slice), words.len());
    // A negative ICC has no meaning as differentiation: shown as none.
    let value = icc.filter(|icc| *icc >= 0.0).map(|icc| 1.0 - icc);
    Figure::new(value, rows.len(), MIN_GRANULARITY)
}

/// Positive and negative granularity from the person's chosen items. Each
/// figure's n is the number of check-ins that rated every chosen item of
/// its valence.
pub fn granularity<'c>(
    check_ins: impl IntoIterator<Item = &'c CheckIn>,
    chosen: &FixedItems,
    vocabulary: &Vocabulary,
) -> (Figure, Figure) {
    let check_ins: Vec<&CheckIn> = check_ins.into_iter().collect();
    let of = |positive: bool| -> Vec<&str> {
        chosen
            .words()
            .iter()
            .map(String::as_str)
            .filter(|w| valence(vocabulary, w) == Some(positive))
            .collect()
    };
    (
        one_valence(&check_ins, &of(true)),
        one_valence(&check_ins, &of(false)),
    )
}

/// The window's granularity from the chosen items in place of the one
/// from words named, when items are chosen.
pub fn apply<'c>(
    insights: &mut Insights,
    check_ins: impl IntoIterator<Item = &'c CheckIn>,
    chosen: &FixedItems,
    vocabulary: &Vocabulary,
) {
    if chosen.is_empty() {
        return;
    }
    let (positive, negative) = granularity(check_ins, chosen, vocabulary);
    insights.granularity_positive = positive;
    insights.granularity_negative = negative;
}

/// "12 more check-ins with all your chosen feelings rated", or `None` when
/// the figure is there.
pub fn still_needed(figure: &Figure) -> Option<String> {
    if figure.enough() {
        return None;
    }
    let more = figure.needs.saturating_sub(figure.n);
    let noun = if more == 1 { "check-in" } else { "check-ins" };
    Some(format!(
        "{more} more {noun} with all your chosen feelings rated"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::items::ItemRating;
    use crate::metrics::insights::insights;
    use crate::metrics::insights::tests::check;
    use crate::CheckInDraft;

    const WORDS: [&str; 6] = ["happy", "calm", "proud", "sad", "anxious", "angry"];

    fn rated(i: i64, ratings: [u8; 6]) -> CheckIn {
        check(
            i,
            CheckInDraft {
                items: WORDS
                    .iter()
                    .zip(ratings)
                    .map(|(w, r)| ItemRating::new(*w, r))
                    .collect(),
                ..Default::default()
            },
        )
    }

    #[test]
    fn granularity_comes_from_complete_item_check_ins() {
        let v = Vocabulary::embedded();
        // Pleasant items move in lockstep (no granularity); unpleasant ones
        // share a part and differ in the rest, zeros included (by hand:
        // 1 − ICC(3,k) = 0.195).
        let all: Vec<CheckIn> = (0..30)
            .map(|i| {
                let b = (i % 5) as u8 * 2;
                let k = i as u8;
                let h = b / 2;
                rated(
                    i,
                    [b, b + 1, b, h + k % 3 * 2, h + (k * 7) % 4, h + (k * 3) % 5],
                )
            })
            .collect();
        let chosen = FixedItems::choose(WORDS, &v).unwrap();
        let mut ins = insights(&all, &v);
        assert_eq!(ins.granularity_negative.n, 0, "no feeling words named");
        apply(&mut ins, &all, &chosen, &v);
        let (pos, neg) = (ins.granularity_positive, ins.granularity_negative);
        assert_eq!((pos.n, neg.n), (30, 30));
        assert!(pos.value.unwrap().abs() < 1e-9, "{pos:?}");
        assert!(
            (neg.value.unwrap() - 0.195_492_957_7).abs() < 1e-6,
            "{neg:?}"
        );
        assert_eq!(still_needed(&pos), None);
        let (_, few) = granularity(&all[..18], &chosen, &v);
        assert_eq!((few.n, few.value), (18, None));
        assert_eq!(
            still_needed(&few).unwrap(),
            "12 more check-ins with all your chosen feelings rated"
        );
    }

    #[test]
    fn a_check_in_missing_an_item_is_not_complete() {
        let v = Vocabulary::embedded();
        let mut all: Vec<CheckIn> = (0..5).map(|i| rated(i, [1, 2, 3, 4, 5, 6])).collect();
        let mut partial = rated(5, [1, 2, 3, 4, 5, 6]);
        partial.items.pop();
        all.push(partial);
        let chosen = FixedItems::choose(WORDS, &v).unwrap();
        let (pos, neg) = granularity(&all, &chosen, &v);
        // The last check-in did not rate "angry": complete for pleasant only.
        assert_eq!((pos.n, neg.n), (6, 5));
    }
}
