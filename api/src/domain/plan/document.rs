//! The plan as a document: every part of a plan rendered as Markdown a person can hand to a
//! client (strategy, personas, objectives, levers, campaigns, a calendar by month and budget
//! tables). Loading reads the store in a fixed number of statements; rendering is a pure
//! function of the loaded [`PlanDocument`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use entity::{enums::Lever, strategy_enums::SwotQuadrant};
use sea_orm::ActiveEnum;
use uuid::Uuid;

use crate::domain::{DomainError, DomainResult, Session, money};
use crate::{
    auth::Permission,
    store::{self, plan::contents::PlanRows},
};

/// Everything the document shows, loaded: the plan's rows and the names of the KPIs its
/// objectives measure.
#[derive(Debug, Clone)]
pub struct PlanDocument {
    /// Every row of the plan.
    pub rows: PlanRows,
    /// KPI names by key.
    pub kpi_names: HashMap<String, String>,
}

/// Loads the document of the plan `plan_id` as the caller, in a fixed number of statements
/// whatever the size of the plan. Another tenant's plan is [`DomainError::NotFound`].
pub async fn load(session: &Session, plan_id: Uuid) -> DomainResult<PlanDocument> {
    let scope = session.scope(Permission::ReadPlan)?;
    let rows = store::plan::contents::load(&scope, plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut keys: Vec<String> = rows
        .objectives
        .iter()
        .map(|objective| objective.kpi_key.clone())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let kpi_names = store::kpi::catalogue::by_keys(&scope, &keys)
        .await?
        .into_iter()
        .map(|definition| (definition.key, definition.name))
        .collect();
    Ok(PlanDocument { rows, kpi_names })
}

/// Shown in table cells and values that have nothing to show.
const NOTHING: &str = "—";

/// Text made safe for one Markdown table cell: `|` escaped, line breaks as `<br>`, trimmed.
pub fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// Text on one line (a heading, a list item): line breaks become spaces.
pub fn inline(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount of the plan's currency with at least two decimals: `1250.50 EUR`.
pub fn format_money(micros: impl Into<i128>, currency: &str) -> String {
    let micros = micros.into();
    // A sum of amounts may exceed 64 bits; it always fits a decimal (below 2^96 micros).
    let Ok(mut amount) = money::from_wide_micros(micros) else {
        return format!("{micros} millionths of {currency}");
    };
    if amount.scale() < 2 {
        amount.rescale(2);
    }
    format!("{amount} {currency}")
}

/// A stored value (micros) without trailing zeros: `0.034`, `40`.
fn format_value(micros: i64) -> String {
    money::from_micros(micros).to_string()
}

/// Words kept in capitals when an enum value is turned into a label.
const ACRONYMS: &[&str] = &["SEO", "SEA", "PR", "CRO", "UX", "SMO"];

/// A readable label of an enum value: `SOCIAL_ADS` → `Social ads`, `SEO` stays `SEO`.
pub fn label<T: ActiveEnum<Value = String>>(value: T) -> String {
    let text = value.to_value();
    if text == "TODO" {
        return "To do".to_owned();
    }
    text.split('_')
        .enumerate()
        .map(|(index, word)| {
            if ACRONYMS.contains(&word) {
                word.to_owned()
            } else if index == 0 {
                let lower = word.to_lowercase();
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

fn levers_text(levers: &[Lever]) -> String {
    if levers.is_empty() {
        NOTHING.to_owned()
    } else {
        levers
            .iter()
            .map(|lever| label(*lever))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn or_nothing(text: Option<&str>) -> String {
    match text.map(str::trim) {
        Some(text) if !text.is_empty() => cell(text),
        _ => NOTHING.to_owned(),
    }
}

fn list_or_nothing(items: &[String]) -> String {
    if items.is_empty() {
        NOTHING.to_owned()
    } else {
        cell(&items.join("; "))
    }
}

/// A Markdown table: a header row, its separator, and the rows (cells already escaped).
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push('\n');
}

fn heading(out: &mut String, level: usize, text: &str) {
    out.push_str(&format!("{} {}\n\n", "#".repeat(level), inline(text)));
}

fn none_recorded(out: &mut String) {
    out.push_str("_None recorded._\n\n");
}

fn field(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value.map(inline).filter(|value| !value.is_empty()) {
        out.push_str(&format!("- **{name}:** {value}\n"));
    }
}

fn list_field(out: &mut String, name: &str, values: &[String]) {
    if !values.is_empty() {
        let values: Vec<String> = values.iter().map(|value| inline(value)).collect();
        out.push_str(&format!("- **{name}:** {}\n", values.join("; ")));
    }
}

fn period(start: NaiveDate, end: NaiveDate) -> String {
    format!("{start} → {end}")
}

/// The first day of the month of `day`.
fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// Renders the plan as Markdown.
pub fn render(document: &PlanDocument) -> String {
    let rows = &document.rows;
    let plan = &rows.plan;
    let currency = plan.currency.as_str();
    let mut out = String::new();

    heading(&mut out, 1, &plan.name);
    out.push_str(&format!(
        "- **Period:** {}\n",
        period(plan.period_start, plan.period_end)
    ));
    out.push_str(&format!(
        "- **Budget:** {}\n",
        format_money(plan.budget_micros, currency)
    ));
    out.push_str(&format!("- **Currency:** {currency}\n"));
    out.push_str(&format!("- **Status:** {}\n\n", label(plan.status)));
    if let Some(description) = plan.description.as_deref().map(str::trim)
        && !description.is_empty()
    {
        out.push_str(description);
        out.push_str("\n\n");
    }

    let persona_names: HashMap<Uuid, &str> = rows
        .personas
        .iter()
        .map(|persona| (persona.id, persona.name.as_str()))
        .collect();

    strategy(&mut out, rows, &persona_names);
    personas(&mut out, rows);
    objectives(&mut out, document);
    levers(&mut out, rows);
    campaigns(&mut out, rows, &persona_names);
    calendar(&mut out, rows);
    budget(&mut out, rows);
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn strategy(out: &mut String, rows: &PlanRows, persona_names: &HashMap<Uuid, &str>) {
    heading(out, 2, "Strategy");

    heading(out, 3, "Market trends");
    if rows.trends.is_empty() {
        none_recorded(out);
    } else {
        for trend in &rows.trends {
            let mut line = format!(
                "- **{}** (impact {}/5)",
                inline(&trend.statement),
                trend.impact
            );
            if let Some(description) = trend.description.as_deref().map(inline)
                && !description.is_empty()
            {
                line.push_str(&format!(": {description}"));
            }
            if let Some(source) = trend.source.as_deref().map(inline)
                && !source.is_empty()
            {
                line.push_str(&format!(" _(source: {source})_"));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }

    heading(out, 3, "Competitors");
    if rows.competitors.is_empty() {
        none_recorded(out);
    } else {
        let table_rows: Vec<Vec<String>> = rows
            .competitors
            .iter()
            .map(|competitor| {
                vec![
                    cell(&competitor.name),
                    or_nothing(competitor.website.as_deref()),
                    or_nothing(competitor.positioning.as_deref()),
                    levers_text(&competitor.levers.0),
                    list_or_nothing(&competitor.strengths.0),
                    list_or_nothing(&competitor.weaknesses.0),
                    or_nothing(competitor.strategy_notes.as_deref()),
                ]
            })
            .collect();
        table(
            out,
            &[
                "Competitor",
                "Website",
                "Positioning",
                "Levers",
                "Strengths",
                "Weaknesses",
                "Strategy notes",
            ],
            &table_rows,
        );
    }

    heading(out, 3, "SWOT");
    for (quadrant, title) in [
        (SwotQuadrant::Strength, "Strengths"),
        (SwotQuadrant::Weakness, "Weaknesses"),
        (SwotQuadrant::Opportunity, "Opportunities"),
        (SwotQuadrant::Threat, "Threats"),
    ] {
        heading(out, 4, title);
        let items: Vec<_> = rows
            .swot_items
            .iter()
            .filter(|item| item.quadrant == quadrant)
            .collect();
        if items.is_empty() {
            none_recorded(out);
        } else {
            for item in items {
                out.push_str(&format!(
                    "- {} (impact {}/5)\n",
                    inline(&item.statement),
                    item.impact
                ));
            }
            out.push('\n');
        }
    }

    heading(out, 3, "PEST(EL)");
    if rows.pest_factors.is_empty() {
        none_recorded(out);
    } else {
        let mut factors: Vec<_> = rows.pest_factors.iter().collect();
        // Categories in PESTEL order, each in creation order.
        factors.sort_by_key(|factor| factor.category as u8);
        let table_rows: Vec<Vec<String>> = factors
            .iter()
            .map(|factor| {
                vec![
                    label(factor.category),
                    cell(&factor.statement),
                    format!("{}/5", factor.impact),
                    format!("{}/5", factor.likelihood),
                ]
            })
            .collect();
        table(
            out,
            &["Category", "Factor", "Impact", "Likelihood"],
            &table_rows,
        );
    }

    heading(out, 3, "Brand");
    match &rows.brand {
        None => none_recorded(out),
        Some(brand) => {
            field(
                out,
                "Current perception",
                brand.current_perception.as_deref(),
            );
            list_field(out, "Values", &brand.values.0);
            field(out, "Mission", brand.mission.as_deref());
            field(out, "Vision", brand.vision.as_deref());
            field(out, "Tone", brand.tone.as_deref());
            field(
                out,
                "Positioning statement",
                brand.positioning_statement.as_deref(),
            );
            out.push('\n');
        }
    }

    heading(out, 3, "Marketing mix");
    if rows.mix.is_empty() {
        none_recorded(out);
    } else {
        for entry in &rows.mix {
            heading(out, 4, &label(entry.dimension));
            out.push_str(entry.text.trim());
            out.push_str("\n\n");
        }
    }

    heading(out, 3, "Segments");
    if rows.segments.is_empty() {
        none_recorded(out);
    } else {
        for segment in &rows.segments {
            let targeted = if segment.targeted { " (targeted)" } else { "" };
            heading(out, 4, &format!("{}{targeted}", segment.name));
            list_field(out, "Criteria", &segment.criteria.0);
            if let Some(size) = segment.estimated_size {
                out.push_str(&format!("- **Estimated size:** {size}\n"));
            }
            field(out, "Positioning", segment.positioning.as_deref());
            let mut names: Vec<&str> = rows
                .segment_personas
                .iter()
                .filter(|link| link.segment_id == segment.id)
                .filter_map(|link| persona_names.get(&link.persona_id).copied())
                .collect();
            names.sort_unstable();
            let names: Vec<String> = names.into_iter().map(inline).collect();
            out.push_str(&format!(
                "- **Personas:** {}\n\n",
                if names.is_empty() {
                    NOTHING.to_owned()
                } else {
                    names.join(", ")
                }
            ));
        }
    }
}

fn personas(out: &mut String, rows: &PlanRows) {
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

fn objectives(out: &mut String, document: &PlanDocument) {
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
                // Current value, progress and pace need measurements, which the plan does not
                // hold yet.
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

fn levers(out: &mut String, rows: &PlanRows) {
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
        let total: i128 = rows
            .allocations
            .iter()
            .map(|allocation| i128::from(allocation.budget_micros))
            .sum();
        table_rows.push(vec![
            String::new(),
            "**Total**".to_owned(),
            format!("**{}**", format_money(total, currency)),
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

fn campaign_levers(rows: &PlanRows, campaign_id: Uuid) -> Vec<Lever> {
    rows.campaign_levers
        .iter()
        .filter(|link| link.campaign_id == campaign_id)
        .map(|link| link.lever)
        .collect()
}

fn campaigns(out: &mut String, rows: &PlanRows, persona_names: &HashMap<Uuid, &str>) {
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

fn calendar(out: &mut String, rows: &PlanRows) {
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
    let mut months: BTreeMap<NaiveDate, Vec<&entity::action::Model>> = BTreeMap::new();
    for action in &rows.actions {
        months
            .entry(month_of(action.start_date))
            .or_default()
            .push(action);
    }
    for (month, actions) in months {
        heading(out, 3, &month.format("%B %Y").to_string());
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
        let total: i128 = actions
            .iter()
            .map(|action| i128::from(action.budget_micros))
            .sum();
        out.push_str(&format!(
            "**Planned in {}:** {}\n\n",
            month.format("%B %Y"),
            format_money(total, currency)
        ));
    }
}

fn budget(out: &mut String, rows: &PlanRows) {
    let currency = rows.plan.currency.as_str();
    // Sums of 64-bit amounts, in 128 bits: exact whatever their number (a 64-bit sum of three
    // amounts of 9 trillion would overflow).
    let money_of = |micros: i128| format_money(micros, currency);
    let bold = |micros: i128| format!("**{}**", format_money(micros, currency));
    let sum = |amounts: &mut dyn Iterator<Item = i64>| amounts.map(i128::from).sum::<i128>();
    heading(out, 2, "Budget");

    let allocated = sum(&mut rows.allocations.iter().map(|row| row.budget_micros));
    let campaigns_total = sum(&mut rows.campaigns.iter().map(|row| row.budget_micros));
    let actions_total = sum(&mut rows.actions.iter().map(|row| row.budget_micros));
    let actual_total = sum(&mut rows.actions.iter().map(|row| row.actual_cost_micros));
    table(
        out,
        &["Item", "Amount"],
        &[
            vec![
                "Plan budget".into(),
                money_of(rows.plan.budget_micros.into()),
            ],
            vec!["Allocated to levers".into(), money_of(allocated)],
            vec!["Campaign budgets".into(), money_of(campaigns_total)],
            vec!["Planned in actions".into(), money_of(actions_total)],
            vec!["Actual cost of actions".into(), money_of(actual_total)],
            vec![
                "Unallocated".into(),
                money_of(i128::from(rows.plan.budget_micros) - allocated),
            ],
        ],
    );

    heading(out, 3, "Planned by lever");
    // Lever → (allocated, planned in actions, actual cost), in lever order.
    let mut by_lever: BTreeMap<Lever, (i128, i128, i128)> = BTreeMap::new();
    for allocation in &rows.allocations {
        by_lever.entry(allocation.lever).or_default().0 += i128::from(allocation.budget_micros);
    }
    for action in &rows.actions {
        let entry = by_lever.entry(action.lever).or_default();
        entry.1 += i128::from(action.budget_micros);
        entry.2 += i128::from(action.actual_cost_micros);
    }
    if by_lever.is_empty() {
        none_recorded(out);
    } else {
        let mut table_rows: Vec<Vec<String>> = by_lever
            .iter()
            .map(|(lever, (allocated, planned, actual))| {
                vec![
                    label(*lever),
                    money_of(*allocated),
                    money_of(*planned),
                    money_of(*actual),
                ]
            })
            .collect();
        table_rows.push(vec![
            "**Total**".into(),
            bold(allocated),
            bold(actions_total),
            bold(actual_total),
        ]);
        table(
            out,
            &["Lever", "Allocated", "Planned in actions", "Actual cost"],
            &table_rows,
        );
    }

    heading(out, 3, "Planned by campaign");
    let mut by_campaign: HashMap<Option<Uuid>, (i128, i128)> = HashMap::new();
    for action in &rows.actions {
        let entry = by_campaign.entry(action.campaign_id).or_default();
        entry.0 += i128::from(action.budget_micros);
        entry.1 += i128::from(action.actual_cost_micros);
    }
    if rows.campaigns.is_empty() && rows.actions.is_empty() {
        none_recorded(out);
        return;
    }
    let mut table_rows: Vec<Vec<String>> = rows
        .campaigns
        .iter()
        .map(|campaign| {
            let (planned, actual) = by_campaign
                .get(&Some(campaign.id))
                .copied()
                .unwrap_or_default();
            vec![
                cell(&campaign.name),
                money_of(campaign.budget_micros.into()),
                money_of(planned),
                money_of(actual),
            ]
        })
        .collect();
    if let Some((planned, actual)) = by_campaign.get(&None) {
        table_rows.push(vec![
            "_No campaign_".into(),
            NOTHING.into(),
            money_of(*planned),
            money_of(*actual),
        ]);
    }
    table_rows.push(vec![
        "**Total**".into(),
        bold(campaigns_total),
        bold(actions_total),
        bold(actual_total),
    ]);
    table(
        out,
        &["Campaign", "Budget", "Planned in actions", "Actual cost"],
        &table_rows,
    );
}

#[cfg(test)]
mod tests {
    use entity::enums::CampaignStatus;

    use super::*;

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell(" a | b\nc\r\nd "), "a \\| b<br>c<br>d");
        assert_eq!(inline("one\n two\r\n"), "one two");
    }

    #[test]
    fn money_has_at_least_two_decimals() {
        assert_eq!(format_money(1_250_500_000, "EUR"), "1250.50 EUR");
        assert_eq!(format_money(0, "EUR"), "0.00 EUR");
        assert_eq!(format_money(1, "USD"), "0.000001 USD");
    }

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label(Lever::SocialAds), "Social ads");
        assert_eq!(label(Lever::Seo), "SEO");
        assert_eq!(label(CampaignStatus::Planned), "Planned");
        assert_eq!(label(entity::action_enums::ActionStatus::Todo), "To do");
    }
}
