//! The four named areas of the pleasantness × energy space, and its
//! neutral centre: the first tap of a check-in. Choosing an area shows its
//! words and, unless a finer point is placed, saves the area's middle.

/// One area of the pleasantness × energy space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    PleasantHigh,
    PleasantCalm,
    UnpleasantLow,
    UnpleasantHigh,
    Centre,
}

impl Area {
    /// In the order the page shows them: high energy on top, pleasant on
    /// the right, the centre last.
    pub const ALL: [Area; 5] = [
        Area::UnpleasantHigh,
        Area::PleasantHigh,
        Area::UnpleasantLow,
        Area::PleasantCalm,
        Area::Centre,
    ];

    /// The value the form sends.
    pub fn key(self) -> &'static str {
        match self {
            Area::PleasantHigh => "pleasant-high",
            Area::PleasantCalm => "pleasant-calm",
            Area::UnpleasantLow => "unpleasant-low",
            Area::UnpleasantHigh => "unpleasant-high",
            Area::Centre => "centre",
        }
    }

    pub fn from_key(key: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.key() == key)
    }

    /// The name a person reads on the button.
    pub fn name(self) -> &'static str {
        match self {
            Area::PleasantHigh => "Pleasant, lots of energy",
            Area::PleasantCalm => "Pleasant, calm",
            Area::UnpleasantLow => "Unpleasant, calm / low",
            Area::UnpleasantHigh => "Unpleasant, lots of energy",
            Area::Centre => "In the middle",
        }
    }

    /// A few words under the name, as examples, never as a verdict.
    pub fn hint(self) -> &'static str {
        match self {
            Area::PleasantHigh => "e.g. excited, glad",
            Area::PleasantCalm => "e.g. content, calm",
            Area::UnpleasantLow => "e.g. sad, tired, flat",
            Area::UnpleasantHigh => "e.g. anxious, angry",
            Area::Centre => "neither pleasant nor unpleasant, neither high nor low energy",
        }
    }

    /// The point saved when no finer point is placed: the middle of the
    /// area on the −5..=+5 scales (pleasantness, energy).
    pub fn point(self) -> (i8, i8) {
        match self {
            Area::PleasantHigh => (3, 3),
            Area::PleasantCalm => (3, -3),
            Area::UnpleasantLow => (-3, -3),
            Area::UnpleasantHigh => (-3, 3),
            Area::Centre => (0, 0),
        }
    }

    /// The area a saved point is shown in: the centre for the centre,
    /// else the first quadrant holding it.
    pub fn of(p: i8, e: i8) -> Area {
        if (p, e) == (0, 0) {
            return Area::Centre;
        }
        let quadrants = Area::ALL.into_iter().filter(|&a| a != Area::Centre);
        quadrants
            .into_iter()
            .find(|a| a.holds(p, e))
            .unwrap_or(Area::Centre)
    }

    /// Whether a word (or a point) at `(p, e)` belongs to this area. The
    /// axes belong to both sides they touch, so no word is out of reach.
    pub fn holds(self, p: i8, e: i8) -> bool {
        match self {
            Area::PleasantHigh => p >= 0 && e > 0,
            Area::PleasantCalm => p >= 0 && e <= 0,
            Area::UnpleasantLow => p <= 0 && e <= 0,
            Area::UnpleasantHigh => p <= 0 && e > 0,
            Area::Centre => p.abs() <= 2 && e.abs() <= 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feltsense_core::Vocabulary;

    #[test]
    fn every_word_is_in_an_area_and_each_area_holds_its_own_point() {
        for w in Vocabulary::embedded().words() {
            assert!(
                Area::ALL[..4]
                    .iter()
                    .any(|a| a.holds(w.pleasantness, w.energy)),
                "{}",
                w.word
            );
        }
        for a in Area::ALL {
            let (p, e) = a.point();
            assert!(a.holds(p, e), "{a:?}");
            assert_eq!(Area::from_key(a.key()), Some(a));
        }
        assert_eq!(Area::from_key("yellow"), None);
    }
}
