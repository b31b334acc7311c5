//! The safety panel in the terminal: shown at once, before anything else,
//! when crisis language or the person's own "not safe" is seen.

use feltsense_core::safety::{crisis_lines, CALM, NOW, PRIVATE};
use feltsense_core::SafetyPlan;
use std::fmt::Write;

/// The panel: calm words, what to do now, crisis lines, and the person's
/// own safety plan when there is one.
pub fn panel(country: Option<&str>, plan: Option<&SafetyPlan>) -> String {
    let rule = "─".repeat(64);
    let mut s = format!("{rule}\n{CALM}\n\nRight now:\n");
    for step in NOW {
        let _ = writeln!(s, "  • {step}");
    }
    s.push_str("\nPeople you can reach");
    match country {
        Some(c) => {
            let _ = writeln!(s, " ({c}):");
        }
        None => s.push_str(
            " (your country's lines show once it is chosen on the app's Help now page or in Settings):\n",
        ),
    }
    for line in crisis_lines(country) {
        let _ = writeln!(s, "  • {}: {} ({})", line.name, line.reach, line.when);
    }
    if let Some(plan) = plan.filter(|p| !p.is_empty()) {
        s.push_str("\nYour safety plan:\n");
        for (_, title, text) in plan.steps().iter().filter(|(_, _, t)| !t.is_empty()) {
            let _ = writeln!(s, "  {title}\n    {}", text.replace('\n', "\n    "));
        }
    }
    let _ = write!(s, "\n{PRIVATE}\n{rule}");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_has_lines_and_the_plan() {
        let mut plan = SafetyPlan::default();
        plan.set("people_to_ask", "my sister, 0123");
        let text = panel(Some("GB"), Some(&plan));
        assert!(text.contains("116 123"));
        assert!(text.contains("my sister, 0123"));
        assert!(text.contains("emergency number"));
        assert!(!text.contains("monitor"));
        let text = panel(None, None);
        assert!(text.contains("findahelpline.com"));
        assert!(!text.contains("Your safety plan"));
    }
}
