//! The document's "Levers" section: the plan's lever allocations by priority with their total,
//! and the interactions between levers.

use super::markdown::{format_money, heading, label, none_recorded, or_nothing, table};
use crate::domain::plan::document::PlanDocument;

/// Writes the section.
pub(super) fn render(out: &mut String, document: &PlanDocument) {
    let rows = &document.rows;
    let currency = rows.plan.currency.as_str();
    heading(out, 2, "Levers");
    heading(out, 3, "Allocations");
    if rows.allocations.is_empty() {
        none_recorded(out);
    } else {
        let mut table_rows: Vec<Vec<String>> = rows
            .allocations
            .iter()
            .map(|allocation| {
                vec![
                    allocation.priority.to_string(),
                    label(allocation.lever),
                    format_money(allocation.budget_micros, currency),
                    or_nothing(allocation.rationale.as_deref()),
                ]
            })
            .collect();
        // The total the budget check compares with the plan's budget.
        table_rows.push(vec![
            String::new(),
            "**Total**".to_owned(),
            format!(
                "**{}**",
                format_money(document.budget_report.check.allocated_micros, currency)
            ),
            String::new(),
        ]);
        table(
            out,
            &["Priority", "Lever", "Budget", "Rationale"],
            &table_rows,
        );
    }
    heading(out, 3, "Interactions");
    if rows.interactions.is_empty() {
        none_recorded(out);
    } else {
        let table_rows: Vec<Vec<String>> = rows
            .interactions
            .iter()
            .map(|interaction| {
                vec![
                    label(interaction.from_lever),
                    label(interaction.to_lever),
                    label(interaction.kind),
                    or_nothing(interaction.note.as_deref()),
                ]
            })
            .collect();
        table(out, &["From", "To", "Kind", "Note"], &table_rows);
    }
}
