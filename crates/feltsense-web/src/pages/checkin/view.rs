//! What the check-in page shows: the areas first, then the words of the
//! chosen area (and any word already chosen or found), and everything else
//! collapsed one tap away.

use super::area::Area;
use super::{region_label, Values};
use crate::charts::body_map_links;
use crate::Web;
use askama::Template;
use feltsense_core::{Activation, BodyRegion, Sensation, Vocabulary};

/// The most words a search shows.
const FOUND: usize = 12;

pub struct AreaButton {
    pub key: &'static str,
    pub name: &'static str,
    pub hint: &'static str,
    pub pressed: bool,
}

pub struct Cell {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub class: &'static str,
}

pub struct Word {
    pub word: String,
    pub checked: bool,
    /// The intensity given, or empty: never prefilled.
    pub intensity: String,
}

pub struct Region {
    pub key: &'static str,
    pub label: &'static str,
    pub how: &'static str,
    pub sensation: &'static str,
    pub intensity: String,
    pub open: bool,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "checkin.html")]
pub struct CheckinPage {
    title: &'static str,
    current: &'static str,
    heading: &'static str,
    action: String,
    submit: &'static str,
    csrf: String,
    error: Option<String>,
    areas: Vec<AreaButton>,
    centre: AreaButton,
    area: Option<&'static str>,
    nothing: bool,
    words: Words,
    grid: Vec<Vec<Cell>>,
    fine_open: bool,
    keep_pleasantness: Option<i8>,
    keep_energy: Option<i8>,
    body: Body,
    more: More,
    /// For a saved check-in: where its time is corrected, and the time.
    retime: Option<(String, String)>,
    /// A new check-in for an earlier day: the date, and how it reads.
    for_date: Option<(String, String)>,
    /// A new check-in's id from the phone (empty until app.js makes one),
    /// and the account the page is for (empty in the local app), which
    /// the service worker keys what it keeps by.
    checkin_id: String,
    account: String,
}

/// The words part: those shown, under a heading, and the search.
pub struct Words {
    heading: String,
    list: Vec<Word>,
    query: String,
}

/// The body map, its regions and the whole-body scale.
pub struct Body {
    map: String,
    open: bool,
    regions: Vec<Region>,
    hows: [(&'static str, &'static str); 4],
    sensations: Vec<&'static str>,
    overall: Vec<Choice>,
}

/// Clarity, shown vs felt, context and the note, each collapsed.
pub struct More {
    clarity: Vec<Choice>,
    clarity_open: bool,
    showed: Vec<Choice>,
    showed_open: bool,
    doing: String,
    with: String,
    place: String,
    context_open: bool,
    note: String,
    /// The person's fixed items, each with its rating choices.
    items: Vec<(String, Vec<Choice>)>,
    items_open: bool,
}

/// The page for `v`; `editing` when it changes a saved check-in.
pub fn page(
    web: &Web,
    v: &Values,
    action: String,
    editing: bool,
    error: Option<String>,
) -> CheckinPage {
    let fine = v.pleasantness.zip(v.energy);
    CheckinPage {
        title: if editing { "Edit check-in" } else { "Check in" },
        current: "checkin",
        heading: if editing {
            "Edit this check-in"
        } else {
            "What is here right now?"
        },
        submit: if editing {
            "Save changes"
        } else {
            "Save check-in"
        },
        csrf: web.csrf.clone(),
        checkin_id: v.phone.id.clone().unwrap_or_default(),
        account: web.account.clone(),
        error,
        areas: Area::ALL[..4].iter().map(|&a| button(a, v)).collect(),
        centre: button(Area::Centre, v),
        area: v.area.map(Area::key),
        nothing: v.nothing,
        words: Words {
            heading: words_heading(v),
            list: words(&web.vocabulary, v),
            query: v.query.clone(),
        },
        grid: grid(v.area, fine),
        fine_open: fine.is_some(),
        keep_pleasantness: v.pleasantness.filter(|_| fine.is_none()),
        keep_energy: v.energy.filter(|_| fine.is_none()),
        body: body(v),
        more: more(&web.vocabulary, v),
        for_date: v
            .for_date
            .map(|d| (d.to_string(), d.format("%A %-d %B %Y").to_string())),
        retime: v.at_value.clone().map(|at| {
            let id = action.rsplit('/').next().unwrap_or_default();
            (format!("/retime/checkin/{id}"), at)
        }),
        action,
    }
}

fn body(v: &Values) -> Body {
    let regions = regions(v);
    Body {
        map: body_map_links(),
        open: v.body_overall.is_some() || regions.iter().any(|r| r.open),
        regions,
        hows: [
            ("", "—"),
            ("more", "more than usual"),
            ("less", "less than usual"),
            ("cant-feel", "can't feel it"),
        ],
        sensations: Sensation::ALL.iter().map(|s| s.as_str()).collect(),
        overall: numbers(-5..=5, v.body_overall, true),
    }
}

fn more(vocabulary: &Vocabulary, v: &Values) -> More {
    More {
        clarity: numbers(0..=10, v.clarity.map(|c| c as i8), false),
        clarity_open: v.clarity.is_some(),
        showed: showed(vocabulary, v),
        showed_open: !v.showed.is_empty(),
        context_open: !(v.doing.is_empty() && v.with.is_empty() && v.place.is_empty()),
        doing: v.doing.clone(),
        with: v.with.clone(),
        place: v.place.clone(),
        note: v.note.clone(),
        items: items(v),
        items_open: !v.items.is_empty(),
    }
}

fn button(a: Area, v: &Values) -> AreaButton {
    AreaButton {
        key: a.key(),
        name: a.name(),
        hint: a.hint(),
        pressed: v.area == Some(a),
    }
}

fn words_heading(v: &Values) -> String {
    match (v.area, v.query.trim()) {
        (_, q) if !q.is_empty() => format!("Words like “{q}”"),
        (Some(a), _) => format!("Words for “{}”", a.name().to_lowercase()),
        (None, _) if v.feelings.is_empty() => "Words".to_string(),
        (None, _) => "Words you chose".to_string(),
    }
}

/// The fixed items, then any item rated that is not among them (so a
/// rating is never dropped from the form), each with its 0..=10 choices.
fn items(v: &Values) -> Vec<(String, Vec<Choice>)> {
    let mut rated: Vec<&String> = v.items.keys().filter(|w| !v.fixed.contains(w)).collect();
    rated.sort_unstable();
    v.fixed
        .iter()
        .chain(rated)
        .map(|w| {
            let given = v.items.get(w).map(|&r| r as i8);
            (w.clone(), numbers(0..=10, given, false))
        })
        .collect()
}

/// The words shown: those already chosen, then the search's or the
/// area's, each once, in vocabulary order within each part.
fn words(vocabulary: &Vocabulary, v: &Values) -> Vec<Word> {
    let mut shown: Vec<&str> = vocabulary
        .words()
        .iter()
        .map(|w| w.word.as_str())
        .filter(|w| v.feelings.contains_key(*w))
        .collect();
    let mut unknown: Vec<&str> = v
        .feelings
        .keys()
        .map(String::as_str)
        .filter(|w| vocabulary.get(w).is_none())
        .collect();
    unknown.sort_unstable();
    shown.extend(unknown);
    let offered: Vec<&str> = if v.query.trim().is_empty() {
        v.area.map_or_else(Vec::new, |a| {
            let near = vocabulary.words().iter();
            near.filter(|w| a.holds(w.pleasantness, w.energy))
                .map(|w| w.word.as_str())
                .collect()
        })
    } else {
        let found = vocabulary.search(v.query.trim(), FOUND);
        found.into_iter().map(|w| w.word.as_str()).collect()
    };
    for w in offered {
        if !shown.contains(&w) {
            shown.push(w);
        }
    }
    shown.into_iter().map(|w| word(w, v)).collect()
}

fn word(w: &str, v: &Values) -> Word {
    let given = v.feelings.get(w);
    Word {
        word: w.to_string(),
        checked: given.is_some(),
        intensity: given
            .copied()
            .flatten()
            .map_or(String::new(), |i| i.to_string()),
    }
}

/// The finer grid inside the chosen area (none before an area is
/// chosen), energy from high to low; the centre is neutral, not a
/// corner's colour. Every row has the same number of cells.
fn grid(area: Option<Area>, chosen: Option<(i8, i8)>) -> Vec<Vec<Cell>> {
    let Some(area) = area else {
        return Vec::new();
    };
    let row = |e: i8| -> Vec<Cell> {
        (-5..=5)
            .filter(|&p| area.holds(p, e))
            .map(|p| cell(p, e, chosen))
            .collect()
    };
    (-5..=5).rev().map(row).filter(|r| !r.is_empty()).collect()
}

fn cell(p: i8, e: i8, chosen: Option<(i8, i8)>) -> Cell {
    let class = match (p.signum(), e.signum()) {
        (0, 0) => "cell qn",
        (1.., 1..) | (1.., 0) => "cell qph",
        (1.., ..=-1) => "cell qpl",
        (..=0, 1..) => "cell quh",
        _ => "cell qul",
    };
    let label = if (p, e) == (0, 0) {
        "the centre: neither pleasant nor unpleasant, neither high nor low energy".to_string()
    } else {
        format!("pleasantness {p:+}, energy {e:+}")
    };
    Cell {
        value: format!("{p},{e}"),
        label,
        checked: chosen == Some((p, e)),
        class,
    }
}

/// "not now" and the numbers of `range`, `chosen` selected.
fn numbers(range: std::ops::RangeInclusive<i8>, chosen: Option<i8>, signed: bool) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: "not now".into(),
        selected: chosen.is_none(),
    })
    .chain(range.map(|n| Choice {
        value: n.to_string(),
        label: if signed {
            format!("{n:+}")
        } else {
            n.to_string()
        },
        selected: chosen == Some(n),
    }))
    .collect()
}

/// "What I showed": the same as felt, or any word, in alphabetical order.
fn showed(vocabulary: &Vocabulary, v: &Values) -> Vec<Choice> {
    let mut all_words: Vec<&str> = vocabulary.words().iter().map(|w| w.word.as_str()).collect();
    all_words.sort_unstable();
    std::iter::once(Choice {
        value: String::new(),
        label: "the same as I felt / not now".into(),
        selected: v.showed.is_empty(),
    })
    .chain(all_words.iter().map(|w| Choice {
        value: (*w).into(),
        label: (*w).into(),
        selected: v.showed == *w,
    }))
    .collect()
}

/// The body map's regions with what was noticed in each; a region is
/// open only when something was noticed there.
fn regions(v: &Values) -> Vec<Region> {
    BodyRegion::ALL
        .iter()
        .map(|&r| {
            let b = v.body.get(&r);
            Region {
                key: r.as_str(),
                label: region_label(r),
                how: b.and_then(|b| b.activation).map_or("", Activation::as_str),
                sensation: b.and_then(|b| b.sensation).map_or("", Sensation::as_str),
                intensity: b
                    .and_then(|b| b.intensity)
                    .map_or(String::new(), |i| i.to_string()),
                open: b.is_some(),
            }
        })
        .collect()
}
