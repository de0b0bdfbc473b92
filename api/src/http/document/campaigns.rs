//! The document's "Campaigns" section: one table row per campaign, by start date, with its
//! levers, personas, budget, status, UTM code and parent campaign.

use std::collections::HashMap;

use entity::enums::Lever;
use uuid::Uuid;

use super::markdown::{
    NOTHING, cell, format_money, heading, label, levers_text, none_recorded, or_nothing, period,
    table,
};
use crate::store::plan::contents::PlanRows;

/// The levers of the campaign `campaign_id`, in their order.
fn campaign_levers(rows: &PlanRows, campaign_id: Uuid) -> Vec<Lever> {
    rows.campaign_levers
        .iter()
        .filter(|link| link.campaign_id == campaign_id)
        .map(|link| link.lever)
        .collect()
}

/// Writes the section; `persona_names` names the personas of the plan's campaigns.
pub(super) fn render(out: &mut String, rows: &PlanRows, persona_names: &HashMap<Uuid, &str>) {
    let currency = rows.plan.currency.as_str();
    heading(out, 2, "Campaigns");
    if rows.campaigns.is_empty() {
        none_recorded(out);
        return;
    }
    let names: HashMap<Uuid, &str> = rows
        .campaigns
        .iter()
        .map(|campaign| (campaign.id, campaign.name.as_str()))
        .collect();
    let table_rows: Vec<Vec<String>> = rows
        .campaigns
        .iter()
        .map(|campaign| {
            let mut personas: Vec<&str> = rows
                .campaign_personas
                .iter()
                .filter(|link| link.campaign_id == campaign.id)
                .filter_map(|link| persona_names.get(&link.persona_id).copied())
                .collect();
            personas.sort_unstable();
            vec![
                cell(&campaign.name),
                label(campaign.kind),
                period(campaign.start_date, campaign.end_date),
                levers_text(&campaign_levers(rows, campaign.id)),
                if personas.is_empty() {
                    NOTHING.to_owned()
                } else {
                    cell(&personas.join(", "))
                },
                format_money(campaign.budget_micros, currency),
                label(campaign.status),
                campaign
                    .utm_code
                    .as_deref()
                    .map(|code| format!("`{}`", cell(code)))
                    .unwrap_or_else(|| NOTHING.to_owned()),
                or_nothing(
                    campaign
                        .parent_campaign_id
                        .and_then(|parent| names.get(&parent).copied()),
                ),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Campaign", "Kind", "Dates", "Levers", "Personas", "Budget", "Status", "UTM", "Parent",
        ],
        &table_rows,
    );
}
