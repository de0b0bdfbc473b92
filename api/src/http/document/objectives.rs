//! The document's "Objectives" section: a table of the objectives with their KPI, baseline,
//! target and deadline, then each objective's statement and rationale.

use super::markdown::{NOTHING, cell, format_value, heading, inline, label, none_recorded, table};
use crate::domain::plan::document::PlanDocument;

/// Writes the section.
pub(super) fn render(out: &mut String, document: &PlanDocument) {
    let rows = &document.rows;
    heading(out, 2, "Objectives");
    if rows.objectives.is_empty() {
        none_recorded(out);
        return;
    }
    let table_rows: Vec<Vec<String>> = rows
        .objectives
        .iter()
        .map(|objective| {
            let kpi = match document.kpi_names.get(&objective.kpi_key) {
                Some(name) => format!("{} (`{}`)", cell(name), cell(&objective.kpi_key)),
                None => format!("`{}`", cell(&objective.kpi_key)),
            };
            let baseline = objective
                .baseline_micros
                .map(format_value)
                .unwrap_or_else(|| NOTHING.to_owned());
            vec![
                cell(&objective.title),
                label(objective.kind),
                kpi,
                format!("{baseline} → {}", format_value(objective.target_micros)),
                objective.deadline.to_string(),
                // Current value, progress and pace need measurements, which the document does
                // not read yet.
                NOTHING.to_owned(),
                NOTHING.to_owned(),
                NOTHING.to_owned(),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Objective",
            "Kind",
            "KPI",
            "Baseline → target",
            "Deadline",
            "Current",
            "Progress",
            "On track",
        ],
        &table_rows,
    );
    for objective in &rows.objectives {
        let statement = objective.statement.as_deref().map(inline);
        let rationale = objective.rationale.as_deref().map(inline);
        if statement.is_none() && rationale.is_none() {
            continue;
        }
        out.push_str(&format!("- **{}**", inline(&objective.title)));
        if let Some(statement) = statement.filter(|text| !text.is_empty()) {
            out.push_str(&format!(": {statement}"));
        }
        out.push('\n');
        if let Some(rationale) = rationale.filter(|text| !text.is_empty()) {
            out.push_str(&format!("  - Rationale: {rationale}\n"));
        }
    }
    if rows
        .objectives
        .iter()
        .any(|objective| objective.statement.is_some() || objective.rationale.is_some())
    {
        out.push('\n');
    }
}
