//! Journal language analysis for feltsense. Pure: no IO, no clock.
//!
//! ```
//! use feltsense_core::Vocabulary;
//! use feltsense_text::Analyzer;
//!
//! let vocabulary = Vocabulary::embedded();
//! let analyzer = Analyzer::embedded(&vocabulary);
//! let a = analyzer.analyze("I'm not happy, just really tired. I feel nothing.");
//! let happy = a.feelings.iter().find(|f| f.word == "happy").unwrap();
//! assert!(happy.negated);
//! assert!(a.present().any(|f| f.word == "tired"));
//! assert!(!a.crisis());
//! ```

mod analysis;
mod cues;
pub mod eval;
pub mod learned;
mod lexicon;
pub mod model;
mod normalize;
mod reading;
mod stance;
mod tokenize;

pub use analysis::{Analysis, FoundFeeling, IntensityCue, Phrase, Vague};
pub use lexicon::{Lexicon, ModifierKind, PhraseKind, Sources, EMBEDDED};
pub use model::Polarity;
pub use reading::language;
pub use stance::Stance;
pub use tokenize::{tokenize, Token};

use feltsense_core::Vocabulary;

/// The lexicon bound to the vocabulary it maps into.
pub struct Analyzer<'v> {
    lexicon: Lexicon,
    vocabulary: &'v Vocabulary,
}

impl<'v> Analyzer<'v> {
    /// The lexicon compiled into the binary.
    ///
    /// # Panics
    /// Only if the embedded data is malformed, which the tests rule out.
    pub fn embedded(vocabulary: &'v Vocabulary) -> Analyzer<'v> {
        Analyzer::new(&EMBEDDED, vocabulary).expect("the embedded lexicon is valid")
    }

    pub fn new(sources: &Sources<'_>, vocabulary: &'v Vocabulary) -> Result<Analyzer<'v>, String> {
        Ok(Analyzer {
            lexicon: Lexicon::parse(sources, vocabulary)?,
            vocabulary,
        })
    }

    /// The patterns' reading, with what the learned heads add to it
    /// (`learned`: only where no pattern says the words are someone
    /// else's, past, media or denied).
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with(text, &mut model::Grams::default())
    }

    /// [`Self::analyze`] and what the GoEmotions model shows in the same
    /// text ([`model::shown`]), each word's features hashed once for both:
    /// what a journal entry or `notice` needs, for less than the two apart.
    pub fn analyze_shown(&self, text: &str) -> (Analysis, model::Shown) {
        let mut grams = model::Grams::default();
        let analysis = self.analyze_with(text, &mut grams);
        (
            analysis,
            model::Model::embedded().shown_with(text, &mut grams),
        )
    }

    fn analyze_with(&self, text: &str, grams: &mut model::Grams) -> Analysis {
        // The heads read the sentences as the patterns tokenised them.
        let heads = learned::Heads::embedded();
        let mut sentences = Vec::new();
        let each = |base, sentence: &str, tokens: &[Token<'_>]| {
            sentences.push(heads.sentence(base, sentence, tokens, grams));
        };
        let mut analysis = analysis::analyze_each(&self.lexicon, self.vocabulary, text, each);
        learned::add_read(heads, &mut analysis, text, &sentences);
        analysis
    }

    /// The patterns' reading alone, without the learned heads.
    pub fn patterns(&self, text: &str) -> Analysis {
        analysis::analyze(&self.lexicon, self.vocabulary, text)
    }

    /// The families of the feelings really there, and the numb family when
    /// numbness language was found: what the evaluation compares.
    pub fn families(&self, text: &str) -> std::collections::BTreeSet<feltsense_core::Family> {
        let a = self.analyze(text);
        let mut families: std::collections::BTreeSet<_> = a.present().map(|f| f.family).collect();
        if a.found(PhraseKind::Numb).next().is_some() {
            families.insert(feltsense_core::Family::Numb);
        }
        families
    }

    /// How many surface forms the lexicon maps.
    pub fn forms(&self) -> usize {
        self.lexicon.forms
    }
}
