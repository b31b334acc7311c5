//! Body sensations: where in the body something is noticed, and how.
//!
//! Regions follow the bodily maps of emotion of Nummenmaa et al. (2014),
//! "Bodily maps of emotions", PNAS 111(2), merged to the thirteen regions a
//! person can point at without anatomy lessons.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in files, flags and on screen.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                let s = s.trim().to_lowercase().replace(['_', ' ', '/'], "-");
                match s.as_str() {
                    $($word $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum! {
    /// A region of the body, after Nummenmaa et al. (2014).
    BodyRegion {
        Head = "head",
        Face = "face" | "jaw" | "face-jaw",
        Throat = "throat" | "neck" | "throat-neck",
        Shoulders = "shoulders" | "shoulder",
        Chest = "chest" | "heart" | "chest-heart",
        UpperBack = "upper-back" | "back",
        Stomach = "stomach",
        LowerBelly = "lower-belly" | "belly",
        Arms = "arms" | "arm",
        Hands = "hands" | "hand",
        Legs = "legs" | "leg",
        Feet = "feet" | "foot",
        WholeBody = "whole-body" | "whole" | "body" | "everywhere",
    }
}

word_enum! {
    /// What a sensation feels like.
    Sensation {
        Tight = "tight",
        Heavy = "heavy",
        Light = "light",
        Warm = "warm",
        Cold = "cold",
        Tingling = "tingling",
        Pressure = "pressure",
        Fluttering = "fluttering",
        Shaky = "shaky",
        Hollow = "hollow",
        Restless = "restless",
    }
}

word_enum! {
    /// Whether a region feels more active than usual, less, or cannot be felt.
    Activation {
        More = "more",
        Less = "less",
        CantFeel = "cant-feel" | "can't-feel" | "numb" | "nothing",
    }
}

/// One thing noticed in one region of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodySensation {
    pub region: BodyRegion,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensation: Option<Sensation>,
    /// 1–10 when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<u8>,
}

impl BodySensation {
    /// Whether this entry reports something felt (a "can't feel" entry is
    /// information too, but it is not a sensation noticed).
    pub fn is_noticed(&self) -> bool {
        self.activation != Some(Activation::CantFeel)
            && (self.sensation.is_some() || self.activation.is_some() || self.intensity.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_accept_the_words_people_use() {
        assert_eq!("heart".parse(), Ok(BodyRegion::Chest));
        assert_eq!("Upper back".parse(), Ok(BodyRegion::UpperBack));
        assert_eq!("face/jaw".parse(), Ok(BodyRegion::Face));
        assert_eq!("elbow".parse::<BodyRegion>(), Err(()));
    }

    #[test]
    fn cant_feel_is_not_a_noticed_sensation() {
        let numb = BodySensation {
            region: BodyRegion::Hands,
            activation: Some(Activation::CantFeel),
            sensation: None,
            intensity: None,
        };
        assert!(!numb.is_noticed());
        let tight = BodySensation {
            region: BodyRegion::Chest,
            activation: None,
            sensation: Some(Sensation::Tight),
            intensity: Some(5),
        };
        assert!(tight.is_noticed());
    }

    #[test]
    fn serialises_with_stable_kebab_case_words() {
        let s = serde_json::to_string(&BodyRegion::WholeBody).unwrap();
        assert_eq!(s, "\"whole-body\"");
        assert_eq!(
            serde_json::to_string(&Activation::CantFeel).unwrap(),
            "\"cant-feel\""
        );
    }
}
