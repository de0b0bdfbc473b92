//! The document's "Personas" section: a profile of each persona the plan targets (personas
//! reached only through a segment or a campaign are named there, not profiled).

use super::markdown::{field, heading, levers_text, list_field, none_recorded};
use crate::store::plan::contents::PlanRows;

/// Writes the section.
pub(super) fn render(out: &mut String, rows: &PlanRows) {
    heading(out, 2, "Personas");
    let targeted: Vec<_> = rows
        .personas
        .iter()
        .filter(|persona| {
            rows.plan_personas
                .iter()
                .any(|link| link.persona_id == persona.id)
        })
        .collect();
    if targeted.is_empty() {
        none_recorded(out);
        return;
    }
    for persona in targeted {
        heading(out, 3, &persona.name);
        if let Some(summary) = persona.summary.as_deref().map(str::trim)
            && !summary.is_empty()
        {
            out.push_str(summary);
            out.push_str("\n\n");
        }
        let age = match (persona.age_min, persona.age_max) {
            (Some(min), Some(max)) => Some(format!("{min}–{max}")),
            (Some(min), None) => Some(format!("{min}+")),
            (None, Some(max)) => Some(format!("up to {max}")),
            (None, None) => None,
        };
        field(out, "Age", age.as_deref());
        field(out, "Gender", persona.gender.as_deref());
        field(out, "Location", persona.location.as_deref());
        field(out, "Occupation", persona.occupation.as_deref());
        field(out, "Income band", persona.income_band.as_deref());
        field(out, "Education", persona.education.as_deref());
        list_field(out, "Behaviours", &persona.behaviors.0);
        list_field(out, "Values", &persona.values.0);
        list_field(out, "Interests", &persona.interests.0);
        field(out, "Lifestyle", persona.lifestyle.as_deref());
        list_field(out, "Goals", &persona.goals.0);
        list_field(out, "Motivations", &persona.motivations.0);
        list_field(out, "Needs", &persona.needs.0);
        list_field(out, "Pain points", &persona.pain_points.0);
        list_field(out, "Objections", &persona.objections.0);
        if !persona.preferred_levers.0.is_empty() {
            out.push_str(&format!(
                "- **Preferred levers:** {}\n",
                levers_text(&persona.preferred_levers.0)
            ));
        }
        out.push('\n');
    }
}
