//! The document's "Calendar" section: `Plan.calendar(groupBy: MONTH)` as a table per month that
//! has actions, each followed by the month's planned amount (cancelled actions listed, their
//! budget left out of the amount, as the API sums it).

use std::collections::HashMap;

use entity::action;
use uuid::Uuid;

use super::markdown::{cell, format_money, heading, label, none_recorded, or_nothing, table};
use crate::domain::plan::{calendar::CalendarKey, document::PlanDocument};

/// Writes the section.
pub(super) fn render(out: &mut String, document: &PlanDocument) {
    let rows = &document.rows;
    let currency = rows.plan.currency.as_str();
    heading(out, 2, "Calendar");
    if rows.actions.is_empty() {
        none_recorded(out);
        return;
    }
    let campaign_names: HashMap<Uuid, &str> = rows
        .campaigns
        .iter()
        .map(|campaign| (campaign.id, campaign.name.as_str()))
        .collect();
    for group in &document.calendar_by_month {
        let CalendarKey::Month(month) = group.key else {
            continue;
        };
        // A printed calendar leaves the empty months out; the API lists them.
        if group.actions.is_empty() {
            continue;
        }
        // The API lists a month's actions by due date; a reader of a month follows them by
        // start date.
        let mut actions: Vec<&action::Model> = group.actions.iter().collect();
        actions.sort_by_key(|action| (action.start_date, action.id));
        let month_name = month.format("%B %Y").to_string();
        heading(out, 3, &month_name);
        let table_rows: Vec<Vec<String>> = actions
            .iter()
            .map(|action| {
                vec![
                    action.start_date.to_string(),
                    action.due_date.to_string(),
                    cell(&action.title),
                    label(action.action_type),
                    label(action.lever),
                    or_nothing(
                        action
                            .campaign_id
                            .and_then(|campaign| campaign_names.get(&campaign).copied()),
                    ),
                    label(action.status),
                    format_money(action.budget_micros, currency),
                ]
            })
            .collect();
        table(
            out,
            &[
                "Start", "Due", "Action", "Type", "Lever", "Campaign", "Status", "Budget",
            ],
            &table_rows,
        );
        out.push_str(&format!(
            "**Planned in {month_name}:** {}\n\n",
            format_money(group.planned_micros, currency)
        ));
    }
}
