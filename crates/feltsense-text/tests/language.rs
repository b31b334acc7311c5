//! Kinds of phrasing the embedded patterns must read, with inserted words
//! and inflections, and the senses they must leave alone. (The scored sets
//! are in `eval/language/`; these are the rules in small.)

use feltsense_core::Vocabulary;
use feltsense_text::{Analyzer, PhraseKind, Stance};

fn with<T>(f: impl FnOnce(&Analyzer<'_>) -> T) -> T {
    let v = Vocabulary::embedded();
    f(&Analyzer::embedded(&v))
}

#[test]
fn numbness_and_masking_with_room_for_words() {
    with(|a| {
        let found = |text: &str, kind| a.analyze(text).found(kind).next().is_some();
        for text in [
            "I bottled it all up again",
            "pretending I'm okay",
            "pretending im ok lol",
        ] {
            assert!(found(text, PhraseKind::Masking), "{text}");
        }
        for text in [
            "my emotions are kind of switched off",
            "i feel so hollow",
            "Numb. Just numb.",
        ] {
            assert!(found(text, PhraseKind::Numb), "{text}");
        }
        for text in [
            "his new flat is lovely",
            "my lip is still numb from the dentist",
            "the office was empty today",
        ] {
            assert!(!found(text, PhraseKind::Numb), "{text}");
        }
        assert!(!found("he's bottling it all up", PhraseKind::Masking));
        assert!(!found(
            "Wore a mask on the bus because of my cold",
            PhraseKind::Masking
        ));
    });
}

#[test]
fn crisis_use_and_mention() {
    with(|a| {
        for text in [
            "i dont want to live anymore",
            "i want to just really die",
            "no reason to keep going on",
            "kms fr this time",
            "I gave my guitar away, I won't need it anymore",
            "Long day at work. Lunch was fine. I have been thinking about killing myself. Then I made tea.",
            "Two years ago I wanted to die. Tonight I want to die again.",
        ] {
            assert!(a.analyze(text).crisis(), "{text}");
        }
        let stance = |text: &str| {
            let r = a.analyze(text);
            assert!(!r.crisis(), "{text}");
            r.phrases
                .iter()
                .find(|p| p.kind == PhraseKind::Crisis)
                .and_then(|p| p.stance)
        };
        assert_eq!(
            stance("my brother said he wants to die"),
            None,
            "not a pattern: fine"
        );
        assert_eq!(
            stance("my brother said he wanted to die"),
            Some(Stance::Others)
        );
        assert_eq!(
            stance("We watched a film about a man who decides to end his life after the war"),
            None
        );
        assert_eq!(
            stance("I want to die of boredom — not really, though"),
            Some(Stance::Denied)
        );
        assert_eq!(
            stance("The lecture was on suicidal ideation in farmers"),
            Some(Stance::Media)
        );
        assert_eq!(
            stance("As a school counsellor I had two kids disclose self-harm this week"),
            Some(Stance::Media),
            "a topic word at work, with the writer speaking"
        );
        let own = a.analyze("At the staff meeting I kept thinking about suicide.");
        assert!(
            own.crisis(),
            "thinking makes the topic word the writer's own"
        );
        assert!(a
            .analyze("3 yrs clean from self harm today!!")
            .crisis_quiet());
        let past = a.analyze("Years ago I used to think about killing myself. I'm better now.");
        assert!(past.crisis_quiet());
        assert!(!a.analyze("this commute is killing me").crisis());
        assert!(!a.analyze("I could die of embarrassment").crisis());
    });
}

#[test]
fn no_text_makes_it_panic() {
    let alphabet: Vec<char> =
        "ai dont want to die kms myself 'x' \"q\" ’é🙂—…,.;!?\n\t $*|~_ICH Über "
            .chars()
            .collect();
    let mut seed: u64 = 0x5eed;
    with(|a| {
        for _ in 0..3_000 {
            let len = (seed % 60) as usize;
            let text: String = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            let r = a.analyze(&text);
            for p in &r.phrases {
                assert!(text.get(p.start..p.end).is_some(), "{text:?}");
            }
            let _ = feltsense_text::language(&text);
        }
    });
}

#[test]
fn hiding_means_or_goodbyes_is_not_masking_and_hiding_feelings_is() {
    with(|a| {
        let masking = |text: &str| a.patterns(text).found(PhraseKind::Masking).next().is_some();
        for text in [
            "I bought a rope today and hid it in the garage.",
            "Said goodbye to everyone. They didn't notice.",
            "did it again. my thighs this time so no one sees",
            "hoovered, did the bathroom, hid the pile of laundry in the wardrobe.",
            "I was mortified to the point of wishing the floor would swallow me.",
            "Halloween with the kids. The zombie mask is on.",
        ] {
            assert!(!masking(text), "{text}");
        }
        for text in [
            "I hide my feelings from everyone at work.",
            "hid in the stairwell at work to cry. came back like nothing happened",
            "i act tough so nobody sees how scared i am",
            "I swallowed my anger and said nothing.",
            "I concealed significant anxiety during the interview.",
        ] {
            assert!(masking(text), "{text}");
        }
    });
}

#[test]
fn a_letter_a_decision_or_a_means_needs_the_risk_domain_nearby() {
    with(|a| {
        let crisis = |t: &str| a.patterns(t).crisis();
        for ordinary in [
            "Walked to work instead of driving. Saw a heron on the canal. Will do it again.",
            "Quiet morning. I wrote a letter to my gran about the garden.",
            "Today I decided to fight it a bit: got up early and walked to the bakery.",
            "Bought a new rope for the dog's tug toy because she destroyed the last one.",
            "Bought a new pack of razor blades and finally shaved off the lockdown beard.",
        ] {
            assert!(!crisis(ordinary), "{ordinary:?}");
        }
        for risk in [
            "I wrote letters to my kids. I won't be here to see them grow up.",
            "Decided on a date. The 14th.",
            "Tomorrow night. Decided.",
            "Bought a bag of razor blades at the pharmacy, not for shaving.",
        ] {
            assert!(crisis(risk), "{risk:?}");
        }
    });
}
