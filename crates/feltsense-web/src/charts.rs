//! Charts drawn on the server as SVG: they need no JavaScript, print as
//! they look, and carry a text description for screen readers. Colours come
//! from `currentColor` and a few fixed fills that read in light and dark.

use feltsense_core::BodyRegion;
use std::fmt::Write;

/// Escapes text for SVG/HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One shape of the front silhouette, in a 200 × 400 box.
fn shapes(region: BodyRegion) -> &'static [&'static str] {
    match region {
        BodyRegion::Head => &[r#"<ellipse cx="100" cy="30" rx="24" ry="20"/>"#],
        BodyRegion::Face => &[r#"<ellipse cx="100" cy="58" rx="18" ry="11"/>"#],
        BodyRegion::Throat => &[r#"<rect x="90" y="70" width="20" height="13" rx="4"/>"#],
        BodyRegion::Shoulders => &[r#"<rect x="52" y="85" width="96" height="16" rx="8"/>"#],
        BodyRegion::Chest => &[r#"<rect x="66" y="103" width="68" height="42" rx="8"/>"#],
        BodyRegion::UpperBack => &[r#"<rect x="158" y="103" width="38" height="42" rx="8"/>"#],
        BodyRegion::Stomach => &[r#"<rect x="70" y="147" width="60" height="30" rx="8"/>"#],
        BodyRegion::LowerBelly => &[r#"<rect x="72" y="179" width="56" height="26" rx="8"/>"#],
        BodyRegion::Arms => &[
            r#"<rect x="36" y="103" width="24" height="100" rx="10"/>"#,
            r#"<rect x="140" y="103" width="24" height="100" rx="10"/>"#,
        ],
        BodyRegion::Hands => &[
            r#"<ellipse cx="46" cy="217" rx="13" ry="12"/>"#,
            r#"<ellipse cx="154" cy="217" rx="13" ry="12"/>"#,
        ],
        BodyRegion::Legs => &[
            r#"<rect x="74" y="208" width="23" height="140" rx="10"/>"#,
            r#"<rect x="103" y="208" width="23" height="140" rx="10"/>"#,
        ],
        BodyRegion::Feet => &[
            r#"<ellipse cx="82" cy="362" rx="16" ry="9"/>"#,
            r#"<ellipse cx="118" cy="362" rx="16" ry="9"/>"#,
        ],
        BodyRegion::WholeBody => &[r#"<rect x="4" y="4" width="58" height="26" rx="6"/>"#],
    }
}

fn labels() -> &'static str {
    r#"<text x="33" y="21" text-anchor="middle" font-size="11">whole</text><text x="177" y="98" text-anchor="middle" font-size="10">back</text>"#
}

/// The body map of the check-in form: each region a link to its controls,
/// so it works with a mouse, a keyboard and without JavaScript.
pub fn body_map_links() -> String {
    let mut svg = String::from(
        r##"<svg viewBox="0 0 200 380" class="silhouette" role="group" aria-label="Body map: choose a region to describe it">"##,
    );
    for &r in BodyRegion::ALL {
        let name = crate::pages::checkin::region_label(r);
        let _ = write!(
            svg,
            r##"<a href="#body-{}" class="region-link" data-region="{}" aria-label="{}"><title>{}</title>"##,
            r.as_str(),
            r.as_str(),
            esc(name),
            esc(name)
        );
        for s in shapes(r) {
            svg.push_str(s);
        }
        svg.push_str("</a>");
    }
    svg.push_str(labels());
    svg.push_str("</svg>");
    svg
}

/// The body heat map: each region filled by the share of check-ins in
/// which something was noticed there.
pub fn body_heat(shares: &[(BodyRegion, f64, usize)], checkins: usize) -> String {
    let mut desc = Vec::new();
    let mut svg = String::from(
        r#"<svg viewBox="0 0 200 380" class="chart heat" role="img" aria-labelledby="heat-t heat-d"><title id="heat-t">Where in the body things were noticed</title>"#,
    );
    let mut body = String::new();
    for &(r, share, n) in shares {
        let opacity = 0.08 + 0.9 * share.clamp(0.0, 1.0);
        let _ = write!(
            body,
            r##"<g class="heat-region" fill="#c2410c" fill-opacity="{opacity:.2}" stroke="currentColor" stroke-width="1"><title>{}: {n} of {checkins} check-ins</title>"##,
            esc(crate::pages::checkin::region_label(r))
        );
        for s in shapes(r) {
            body.push_str(s);
        }
        body.push_str("</g>");
        if n > 0 {
            desc.push(format!("{} {n}", crate::pages::checkin::region_label(r)));
        }
    }
    let text = if desc.is_empty() {
        "Nothing noticed in the body in this window.".to_string()
    } else {
        format!("Check-ins noticing each region: {}.", desc.join(", "))
    };
    let _ = write!(
        svg,
        r#"<desc id="heat-d">{}</desc>{body}{}</svg>"#,
        esc(&text),
        labels()
    );
    svg
}

/// A line chart of one or more series over the same x positions, values
/// in `min..=max`. `None` values leave a gap.
pub struct Series<'a> {
    pub name: &'a str,
    pub class: &'a str,
    pub values: Vec<Option<f64>>,
}

/// A line chart: its id (for `aria-labelledby`), words, x labels, series
/// on one y range, and an optional fitted line (intercept, slope per x step).
pub struct LineChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: String,
    pub x_labels: &'a [String],
    pub series: Vec<Series<'a>>,
    pub range: (f64, f64),
    pub fit: Option<(f64, f64)>,
}

pub fn lines(chart: &LineChart<'_>) -> String {
    lines_with_weak(chart, &[])
}

/// A line chart whose points at `weak` positions rest on too few
/// check-ins: drawn hollow and left out of the line, so a thin week reads
/// as uncertain rather than as a spike.
pub fn lines_with_weak(chart: &LineChart<'_>, weak: &[bool]) -> String {
    let LineChart {
        id,
        title,
        ref desc,
        x_labels,
        ref series,
        range: (min, max),
        fit,
    } = *chart;
    // About a phone's width, so 14-unit text renders at 12 px or more at 390 px.
    let (w, h, left, right, top, bottom) = (360.0, 220.0, 30.0, 14.0, 12.0, 34.0);
    let n = x_labels.len().max(1);
    let x = |i: usize| {
        left + if n == 1 {
            0.0
        } else {
            (w - left - right) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - min) / (max - min));
    let mut svg = format!(
        r#"<svg viewBox="0 0 {w} {h}" class="chart" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for tick in [min, (min + max) / 2.0, max] {
        let _ = write!(
            svg,
            r#"<line class="gridline" x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}"/><text x="{}" y="{:.1}" text-anchor="end" font-size="14">{tick}</text>"#,
            w - right,
            y(tick),
            y(tick),
            left - 6.0,
            y(tick) + 4.0
        );
    }
    let step = n.div_ceil(4).max(1);
    for (i, label) in x_labels.iter().enumerate().filter(|(i, _)| i % step == 0) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" font-size="14">{}</text>"#,
            x(i).max(left + 20.0),
            h - 12.0,
            esc(label)
        );
    }
    for s in series {
        draw_series(&mut svg, s, weak, x_labels, &x, &y);
    }
    if let Some((intercept, slope)) = fit {
        let (x0, x1) = (0.0, (n - 1) as f64);
        let _ = write!(
            svg,
            r#"<line class="fit" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            x(0),
            y((intercept + slope * x0).clamp(min, max)),
            x(n - 1),
            y((intercept + slope * x1).clamp(min, max))
        );
    }
    svg.push_str("</svg>");
    svg
}

fn draw_series(
    svg: &mut String,
    s: &Series<'_>,
    weak: &[bool],
    x_labels: &[String],
    x: &impl Fn(usize) -> f64,
    y: &impl Fn(f64) -> f64,
) {
    let mut d = String::new();
    let mut pen_up = true;
    for (i, v) in s.values.iter().enumerate() {
        let Some(v) = v else {
            pen_up = true;
            continue;
        };
        let weak = weak.get(i).copied().unwrap_or(false);
        let (class, note) = if weak {
            (format!("{} weak", s.class), " (few check-ins)")
        } else {
            (s.class.to_string(), "")
        };
        let _ = write!(
            svg,
            r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="{}"><title>{} {}: {v:.1}{note}</title></circle>"#,
            x(i),
            y(*v),
            if weak { 4 } else { 3 },
            esc(s.name),
            esc(&x_labels[i])
        );
        if weak {
            pen_up = true;
            continue;
        }
        let _ = write!(
            d,
            "{}{:.1},{:.1} ",
            if pen_up { "M" } else { "L" },
            x(i),
            y(*v)
        );
        pen_up = false;
    }
    let _ = write!(
        svg,
        r#"<path class="{}" d="{}" fill="none"/>"#,
        s.class,
        d.trim_end()
    );
}

/// A scatter of pleasantness (x) against energy (y), both −5..5, with the
/// number of check-ins at each point as the dot's size.
pub fn affect_scatter(points: &[((i8, i8), usize)]) -> String {
    let (size, pad) = (300.0, 24.0);
    let pos = |v: i8| pad + (size - 2.0 * pad) * (f64::from(v) + 5.0) / 10.0;
    let total: usize = points.iter().map(|p| p.1).sum();
    let mut svg = format!(
        r#"<svg viewBox="0 0 {size} {size}" class="chart square" role="img" aria-labelledby="scatter-t scatter-d"><title id="scatter-t">Pleasantness and energy</title><desc id="scatter-d">{total} check-ins placed by pleasantness (left unpleasant, right pleasant) and energy (bottom low, top high).</desc>"#
    );
    let _ = write!(
        svg,
        r#"<line class="gridline" x1="{pad}" x2="{}" y1="{}" y2="{}"/><line class="gridline" y1="{pad}" y2="{}" x1="{}" x2="{}"/>"#,
        size - pad,
        pos(0),
        pos(0),
        size - pad,
        pos(0),
        pos(0)
    );
    let _ = write!(
        svg,
        r#"<text x="{pad}" y="{:.1}" font-size="14">unpleasant</text><text x="{}" y="{:.1}" font-size="14" text-anchor="end">pleasant</text><text x="{:.1}" y="{}" font-size="14">high energy</text><text x="{:.1}" y="{}" font-size="14">low energy</text>"#,
        pos(0) - 6.0,
        size - pad,
        pos(0) - 6.0,
        pos(0) + 6.0,
        pad - 6.0,
        pos(0) + 6.0,
        size - 6.0
    );
    for &((p, e), n) in points {
        let r = 3.0 + (n as f64).sqrt() * 2.0;
        let _ = write!(
            svg,
            r#"<circle class="dot" cx="{:.1}" cy="{:.1}" r="{r:.1}"><title>pleasant {p:+}, energy {e:+}: {n}</title></circle>"#,
            pos(p),
            size - pos(e)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars: how often each family of feelings was named.
pub fn family_bars(counts: &[(String, usize)]) -> String {
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let row = 22.0;
    let h = row * counts.len() as f64 + 8.0;
    let desc: Vec<String> = counts.iter().map(|(f, n)| format!("{f} {n}")).collect();
    let mut svg = format!(
        r#"<svg viewBox="0 0 360 {h}" class="chart" role="img" aria-labelledby="fam-t fam-d"><title id="fam-t">Feelings by family</title><desc id="fam-d">Times each family was named: {}.</desc>"#,
        esc(&desc.join(", "))
    );
    for (i, (family, n)) in counts.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let w = 170.0 * *n as f64 / max;
        let _ = write!(
            svg,
            r#"<text x="140" y="{:.1}" text-anchor="end" font-size="14">{}</text><rect class="bar" x="146" y="{:.1}" width="{w:.1}" height="14" rx="3"/><text x="{:.1}" y="{:.1}" font-size="14">{n}</text>"#,
            y + 12.0,
            esc(family),
            y + 1.0,
            152.0 + w,
            y + 12.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Before and after, per kind of bridge: the mean intensity before (open
/// dot) and after (filled dot) on a 0–10 line, with n.
pub fn bridge_dumbbells(rows: &[(String, f64, f64, usize)]) -> String {
    let row = 26.0;
    let h = row * rows.len().max(1) as f64 + 30.0;
    let x = |v: f64| 150.0 + 190.0 * v / 10.0;
    let desc: Vec<String> = rows
        .iter()
        .map(|(k, b, a, n)| format!("{k}: {b:.1} before, {a:.1} after (n {n})"))
        .collect();
    let text = if desc.is_empty() {
        "No finished bridges yet.".to_string()
    } else {
        format!(
            "Mean intensity of 10 before and after: {}.",
            desc.join("; ")
        )
    };
    let mut svg = format!(
        r#"<svg viewBox="0 0 360 {h}" class="chart" role="img" aria-labelledby="bridge-t bridge-d"><title id="bridge-t">Bridges: before and after</title><desc id="bridge-d">{}</desc>"#,
        esc(&text)
    );
    for (i, (kind, before, after, n)) in rows.iter().enumerate() {
        let y = 14.0 + row * i as f64;
        let _ = write!(
            svg,
            r#"<text x="140" y="{:.1}" text-anchor="end" font-size="14">{} (n {n})</text><line class="gridline" x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><line class="fit" x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><circle cx="{:.1}" cy="{y:.1}" r="5" fill="none" stroke="currentColor" stroke-width="2"><title>before {before:.1}</title></circle><circle class="s1" cx="{:.1}" cy="{y:.1}" r="5"><title>after {after:.1}</title></circle>"#,
            y + 4.0,
            esc(kind),
            x(0.0),
            x(10.0),
            x(*before),
            x(*after),
            x(*before),
            x(*after)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" font-size="14">0</text><text x="{:.1}" y="{:.1}" font-size="14" text-anchor="end">10</text></svg>"#,
        x(0.0),
        h - 6.0,
        x(10.0),
        h - 6.0
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_map_links_every_region() {
        let svg = body_map_links();
        for r in BodyRegion::ALL {
            assert!(
                svg.contains(&format!("href=\"#body-{}\"", r.as_str())),
                "{r}"
            );
        }
    }

    #[test]
    fn lines_leave_gaps_for_missing_values() {
        let labels: Vec<String> = (1..=4).map(|i| format!("w{i}")).collect();
        let s = Series {
            name: "intensity",
            class: "s1",
            values: vec![Some(1.0), None, Some(3.0), Some(4.0)],
        };
        let svg = lines(&LineChart {
            id: "t",
            title: "T",
            desc: "D".into(),
            x_labels: &labels,
            series: vec![s],
            range: (0.0, 10.0),
            fit: None,
        });
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches('M').count(), 2, "two runs: {svg}");
    }

    #[test]
    fn thin_weeks_are_hollow_and_break_the_line() {
        let labels: Vec<String> = (1..=4).map(|i| format!("w{i}")).collect();
        let chart = LineChart {
            id: "t",
            title: "T",
            desc: "D".into(),
            x_labels: &labels,
            series: vec![Series {
                name: "intensity",
                class: "s1",
                values: vec![Some(1.0), Some(9.0), Some(3.0), Some(4.0)],
            }],
            range: (0.0, 10.0),
            fit: None,
        };
        let svg = lines_with_weak(&chart, &[false, true, false, false]);
        assert_eq!(svg.matches("class=\"s1 weak\"").count(), 1);
        assert!(svg.contains("9.0 (few check-ins)"));
        assert!(svg.contains("d=\"M30.0,"), "{svg}");
        assert_eq!(
            svg.matches('M').count(),
            2,
            "the spike is not joined: {svg}"
        );
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert!(family_bars(&[("<joy>".into(), 2)]).contains("&lt;joy&gt;"));
    }
}
