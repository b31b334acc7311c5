//! The features both linear readers hash (the GoEmotions model and the
//! learned heads, `crate::learned`): word unigrams, bigrams and character
//! n-grams of each word, into `1 << log2_buckets` buckets.
//!
//! A word's own features (its unigram and its character n-grams) depend on
//! nothing but the word, and the character n-grams are most of the hashing
//! (a five-letter word has twelve of them). [`Grams`] keeps each word's
//! buckets the first time it is read, so a word met again in the same entry
//! (by the heads or by the model) costs one lookup; the buckets are the same
//! either way, in the same order.

use super::FeatureSpec;

/// The model's own reading of a text: lowercase words (letters, digits and
/// apostrophes inside a word, curly apostrophes folded) and every other
/// visible sign (`!`, `?`, an emoji) as a token of its own.
pub fn tokens(text: &str) -> Vec<String> {
    let read = Reading::of(text);
    read.spans
        .iter()
        .map(|&(a, b)| read.lower[a..b].to_string())
        .collect()
}

/// The lowercased text and the byte spans of its tokens in it, so that
/// reading a text allocates twice, not once per token.
#[derive(Default)]
struct Reading {
    lower: String,
    spans: Vec<(usize, usize)>,
    word_start: Option<usize>,
}

impl Reading {
    fn of(text: &str) -> Reading {
        let mut read = Reading::default();
        read.read(text);
        read
    }

    /// Reads `text` in place of what was read before, in the same buffers.
    fn read(&mut self, text: &str) {
        self.lower.clear();
        self.lower.reserve(text.len());
        self.spans.clear();
        self.word_start = None;
        let mut rest = text;
        while !rest.is_empty() {
            // ASCII a byte at a time, the same steps as `step` takes.
            let ascii = rest.bytes().take_while(u8::is_ascii).count();
            for b in rest[..ascii].bytes() {
                self.step_ascii(b.to_ascii_lowercase());
            }
            rest = &rest[ascii..];
            let Some(c) = rest.chars().next() else {
                break;
            };
            c.to_lowercase().for_each(|l| self.step(l));
            rest = &rest[c.len_utf8()..];
        }
        self.end_word();
    }

    /// [`Self::step`] for an ASCII character.
    fn step_ascii(&mut self, b: u8) {
        let b = if b == b'`' { b'\'' } else { b };
        if b.is_ascii_alphanumeric() || (b == b'\'' && self.word_start.is_some()) {
            self.word_start.get_or_insert(self.lower.len());
            self.lower.push(char::from(b));
            return;
        }
        self.end_word();
        let c = char::from(b);
        if !c.is_whitespace() && b != b'\'' && !c.is_control() {
            let at = self.lower.len();
            self.lower.push(c);
            self.spans.push((at, at + 1));
        }
    }

    fn step(&mut self, c: char) {
        let c = if matches!(c, '\u{2019}' | '\u{2018}' | '`') {
            '\''
        } else {
            c
        };
        if c.is_alphanumeric() || (c == '\'' && self.word_start.is_some()) {
            self.word_start.get_or_insert(self.lower.len());
            self.lower.push(c);
            return;
        }
        self.end_word();
        if !c.is_whitespace() && c != '\'' && !c.is_control() {
            let at = self.lower.len();
            self.lower.push(c);
            self.spans.push((at, self.lower.len()));
        }
    }

    fn end_word(&mut self) {
        if let Some(at) = self.word_start.take() {
            let kept = self.lower[at..].trim_end_matches('\'').len();
            self.spans.push((at, at + kept));
        }
    }

    fn token(&self, k: usize) -> &[u8] {
        let (a, b) = self.spans[k];
        &self.lower.as_bytes()[a..b]
    }
}

/// The hashed buckets of a text's features, in reading order, repeats kept.
pub fn features(text: &str, spec: &FeatureSpec) -> Vec<u32> {
    let mut out = Vec::with_capacity(text.len() * 3);
    Grams::default().features(text, spec, &mut out);
    out
}

/// Each word's own buckets (unigram, then character n-grams) as first
/// hashed, for one entry: see the module's comment. Only for one spec at a
/// time (a different one starts it afresh).
#[derive(Default)]
pub struct Grams {
    spec: Option<FeatureSpec>,
    /// A slot for each of [`SLOTS`] values of the word's mixed unigram
    /// hash: 1 + its place in `words`, 0 for none (a word whose slot is
    /// taken by another is hashed afresh, and then takes the slot).
    slots: Vec<u32>,
    /// Each word: its unigram hash, its bytes in `bytes`, its buckets in
    /// `kept`.
    words: Vec<(u64, u32, u32, u32, u32)>,
    bytes: Vec<u8>,
    kept: Vec<u32>,
    marked: Vec<u8>,
    /// The unigram of a sign, which has no character n-grams.
    single: [u32; 1],
    reading: Reading,
    /// Buffers a caller may reuse from one sentence to the next
    /// (`crate::learned`: a sentence's normalised words, its buckets).
    pub(crate) sentence: String,
    pub(crate) buckets: Vec<u32>,
}

const SLOTS: usize = 1 << 10;

/// Words kept at most; a longer text starts the list afresh, so that the
/// memory it holds stays small however long the text is.
const KEPT: usize = 1 << 14;

impl Grams {
    /// Appends the buckets of `text`'s features to `out`, as [`features`].
    pub fn features(&mut self, text: &str, spec: &FeatureSpec, out: &mut Vec<u32>) {
        if self.spec != Some(*spec) || self.words.len() >= KEPT {
            self.start(*spec);
        }
        let mut read = std::mem::take(&mut self.reading);
        read.read(text);
        let bucket = |h: u64| (mix(h) >> (64 - u32::from(spec.log2_buckets))) as u32;
        out.reserve(read.spans.len() * 12);
        // The bigram's hash so far for the token before: "b", it, " ".
        let mut before = None;
        for k in 0..read.spans.len() {
            let token = read.token(k);
            let word = fnv(WORD, token);
            let first = read.lower[read.spans[k].0..].chars().next();
            let grams = spec.char_max > 0 && first.is_some_and(char::is_alphanumeric);
            let own = self.own(word, token, grams, spec);
            out.push(own[0]);
            if spec.bigrams {
                if let Some(h) = before {
                    out.push(bucket(fnv(h, token)));
                }
                before = Some(fnv(fnv(BIGRAM, token), b" "));
            }
            out.extend_from_slice(&own[1..]);
        }
        self.reading = read;
    }

    fn start(&mut self, spec: FeatureSpec) {
        self.spec = Some(spec);
        self.slots.clear();
        self.slots.resize(SLOTS, 0);
        self.words.clear();
        self.bytes.clear();
        self.kept.clear();
    }

    /// The word's own buckets: its unigram and, with `grams`, its
    /// character n-grams.
    fn own(&mut self, word: u64, token: &[u8], grams: bool, spec: &FeatureSpec) -> &[u32] {
        let mixed = mix(word);
        let unigram = (mixed >> (64 - u32::from(spec.log2_buckets))) as u32;
        if !grams {
            self.single = [unigram];
            return &self.single;
        }
        let slot = mixed as usize % SLOTS;
        if let Some(&(hash, b0, b1, g0, g1)) = self.slots[slot]
            .checked_sub(1)
            .map(|w| &self.words[w as usize])
        {
            if hash == word && &self.bytes[b0 as usize..b1 as usize] == token {
                return &self.kept[g0 as usize..g1 as usize];
            }
        }
        let (b0, g0) = (self.bytes.len() as u32, self.kept.len() as u32);
        self.bytes.extend_from_slice(token);
        self.kept.push(unigram);
        self.marked.clear();
        self.marked.push(b'<');
        self.marked.extend_from_slice(token);
        self.marked.push(b'>');
        let kept = &mut self.kept;
        let bucket = |h: u64| (mix(h) >> (64 - u32::from(spec.log2_buckets))) as u32;
        char_grams(&self.marked, spec, |h| kept.push(bucket(h)));
        let b1 = self.bytes.len() as u32;
        self.words.push((word, b0, b1, g0, self.kept.len() as u32));
        self.slots[slot] = self.words.len() as u32;
        &self.kept[g0 as usize..]
    }
}

fn char_grams(marked: &[u8], spec: &FeatureSpec, mut push: impl FnMut(u64)) {
    for n in usize::from(spec.char_min)..=usize::from(spec.char_max) {
        if n > marked.len() {
            break;
        }
        let seed = fnv(OFFSET, &[b'c', n as u8]);
        for gram in marked.windows(n) {
            push(fnv(seed, gram));
        }
    }
}

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const WORD: u64 = fnv(OFFSET, b"w");
const BIGRAM: u64 = fnv(OFFSET, b"b");

const fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    let mut k = 0;
    while k < bytes.len() {
        h ^= bytes[k] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        k += 1;
    }
    h
}

/// SplitMix64's finaliser, so the top bits of the hash are well mixed.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_apostrophes_and_signs_stand_alone() {
        assert_eq!(
            tokens("I DON’T know!! 'quoted' 😶"),
            ["i", "don't", "know", "!", "!", "quoted", "😶"]
        );
        assert_eq!(tokens("dont-care"), ["dont", "-", "care"]);
        assert!(tokens("  \t\n").is_empty());
    }

    #[test]
    fn features_are_words_bigrams_and_marked_character_grams() {
        let spec = FeatureSpec {
            log2_buckets: 16,
            bigrams: true,
            char_min: 3,
            char_max: 3,
        };
        // "so sad": 2 words, 1 bigram, "<so>" has 2 trigrams, "<sad>" 3.
        let f = features("so sad", &spec);
        assert_eq!(f.len(), 2 + 1 + 2 + 3);
        assert!(f.iter().all(|&b| (b as usize) < spec.buckets()));
        assert_eq!(f, features("So SAD", &spec));
        assert_ne!(f, features("sad so", &spec));
        let plain = FeatureSpec {
            bigrams: false,
            char_max: 0,
            ..spec
        };
        assert_eq!(features("so sad !", &plain).len(), 3);
    }

    #[test]
    fn a_word_met_again_has_the_same_buckets() {
        let spec = FeatureSpec {
            log2_buckets: 16,
            bigrams: false,
            char_min: 3,
            char_max: 5,
        };
        // "<sad>": three trigrams, two 4-grams, one 5-gram.
        assert_eq!(features("sad", &spec).len(), 1 + 3 + 2 + 1);
        // Without bigrams a text's buckets are each token's own, in order:
        // the kept ones must be those hashed afresh.
        let text = "sad so sad ! sad";
        let one_by_one: Vec<u32> = text.split(' ').flat_map(|w| features(w, &spec)).collect();
        let (mut grams, mut out) = (Grams::default(), Vec::new());
        grams.features(text, &spec, &mut out);
        assert_eq!(out, one_by_one);
        let bigrams = FeatureSpec {
            bigrams: true,
            ..spec
        };
        for why in ["a new spec starts afresh", "kept across texts"] {
            out.clear();
            grams.features("so sad", &bigrams, &mut out);
            assert_eq!(out, features("so sad", &bigrams), "{why}");
        }
    }
}
