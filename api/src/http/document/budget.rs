//! The document's "Budget" section: the plan's budget against what is allocated, budgeted by
//! campaigns, planned in actions and spent, then the same by lever and by campaign. Every
//! amount is one the API serves (`Plan.budgetReport`, `Plan.calendar`): planned amounts leave
//! cancelled actions out, actual costs keep them.

use super::markdown::{NOTHING, cell, format_money, heading, label, none_recorded, table};
use crate::domain::plan::{budget::report::PlannedSource, document::PlanDocument};

/// Writes the section.
pub(super) fn render(out: &mut String, document: &PlanDocument) {
    heading(out, 2, "Budget");
    summary(out, document);
    by_lever(out, document);
    by_campaign(out, document);
}

/// A total: an amount in bold.
fn bold(micros: i128, currency: &str) -> String {
    format!("**{}**", format_money(micros, currency))
}

fn summary(out: &mut String, document: &PlanDocument) {
    let currency = document.rows.plan.currency.as_str();
    let money = |micros: i128| format_money(micros, currency);
    let report = &document.budget_report;
    let budget = report.total.planned_micros;
    let allocated = report.check.allocated_micros;
    table(
        out,
        &["Item", "Amount"],
        &[
            vec!["Plan budget".into(), money(budget)],
            vec!["Allocated to levers".into(), money(allocated)],
            vec![
                "Campaign budgets".into(),
                money(report.check.campaigns_micros),
            ],
            vec![
                "Planned in actions".into(),
                money(document.planned_micros()),
            ],
            vec![
                "Actual cost of actions".into(),
                money(document.actual_micros()),
            ],
            // Both below 2^96 micros: the difference cannot overflow.
            vec!["Unallocated".into(), money(budget - allocated)],
        ],
    );
}

fn by_lever(out: &mut String, document: &PlanDocument) {
    let currency = document.rows.plan.currency.as_str();
    let money = |micros: i128| format_money(micros, currency);
    let bold = |micros: i128| bold(micros, currency);
    let report = &document.budget_report;
    heading(out, 3, "Planned by lever");
    // The report's levers: those allocated or used by an action, in lever order.
    if report.by_lever.is_empty() {
        none_recorded(out);
        return;
    }
    let mut table_rows: Vec<Vec<String>> = report
        .by_lever
        .iter()
        .map(|line| {
            // The report plans a lever by its allocation where it has one; the document shows
            // the allocation and what the lever's actions plan side by side.
            let allocated = match line.source {
                PlannedSource::Allocation => line.line.planned_micros,
                PlannedSource::Actions => 0,
            };
            vec![
                label(line.lever),
                money(allocated),
                money(document.lever_actions(line.lever).planned_micros),
                money(line.line.actual_micros),
            ]
        })
        .collect();
    table_rows.push(vec![
        "**Total**".into(),
        bold(report.check.allocated_micros),
        bold(document.planned_micros()),
        bold(document.actual_micros()),
    ]);
    table(
        out,
        &["Lever", "Allocated", "Planned in actions", "Actual cost"],
        &table_rows,
    );
}

fn by_campaign(out: &mut String, document: &PlanDocument) {
    let currency = document.rows.plan.currency.as_str();
    let money = |micros: i128| format_money(micros, currency);
    let bold = |micros: i128| bold(micros, currency);
    let rows = &document.rows;
    let report = &document.budget_report;
    heading(out, 3, "Planned by campaign");
    if rows.campaigns.is_empty() && rows.actions.is_empty() {
        none_recorded(out);
        return;
    }
    // The report's lines: campaigns by start date, then the actions without a campaign, whose
    // line is shown only when there are such actions.
    let table_rows: Vec<Vec<String>> = report
        .by_campaign
        .iter()
        .filter_map(|line| {
            let group = document.campaign_group(line.campaign.as_ref().map(|c| c.id));
            let planned = group.map_or(0, |group| group.planned_micros);
            let actual = line.line.actual_micros;
            match &line.campaign {
                Some(campaign) => Some(vec![
                    cell(&campaign.name),
                    money(line.line.planned_micros),
                    money(planned),
                    money(actual),
                ]),
                None if group.is_some_and(|group| !group.actions.is_empty()) => Some(vec![
                    "_No campaign_".into(),
                    NOTHING.into(),
                    money(planned),
                    money(actual),
                ]),
                None => None,
            }
        })
        .chain([vec![
            "**Total**".into(),
            bold(report.check.campaigns_micros),
            bold(document.planned_micros()),
            bold(document.actual_micros()),
        ]])
        .collect();
    table(
        out,
        &["Campaign", "Budget", "Planned in actions", "Actual cost"],
        &table_rows,
    );
}
