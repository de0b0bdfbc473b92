//! The document's "Strategy" section: market trends, competitors, SWOT, PEST(EL), brand,
//! marketing mix and segments.

use std::collections::HashMap;

use entity::strategy_enums::SwotQuadrant;
use uuid::Uuid;

use super::markdown::{
    NOTHING, cell, field, heading, inline, label, levers_text, list_field, list_or_nothing,
    none_recorded, or_nothing, table,
};
use crate::store::plan::contents::PlanRows;

/// Writes the section; `persona_names` names the personas of the plan's segments.
pub(super) fn render(out: &mut String, rows: &PlanRows, persona_names: &HashMap<Uuid, &str>) {
    heading(out, 2, "Strategy");
    trends(out, rows);
    competitors(out, rows);
    swot(out, rows);
    pest(out, rows);
    brand(out, rows);
    mix(out, rows);
    segments(out, rows, persona_names);
}

fn trends(out: &mut String, rows: &PlanRows) {
    heading(out, 3, "Market trends");
    if rows.trends.is_empty() {
        none_recorded(out);
        return;
    }
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

fn competitors(out: &mut String, rows: &PlanRows) {
    heading(out, 3, "Competitors");
    if rows.competitors.is_empty() {
        none_recorded(out);
        return;
    }
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

fn swot(out: &mut String, rows: &PlanRows) {
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
            continue;
        }
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

fn pest(out: &mut String, rows: &PlanRows) {
    heading(out, 3, "PEST(EL)");
    if rows.pest_factors.is_empty() {
        none_recorded(out);
        return;
    }
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

fn brand(out: &mut String, rows: &PlanRows) {
    heading(out, 3, "Brand");
    let Some(brand) = &rows.brand else {
        none_recorded(out);
        return;
    };
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

fn mix(out: &mut String, rows: &PlanRows) {
    heading(out, 3, "Marketing mix");
    if rows.mix.is_empty() {
        none_recorded(out);
        return;
    }
    for entry in &rows.mix {
        heading(out, 4, &label(entry.dimension));
        out.push_str(entry.text.trim());
        out.push_str("\n\n");
    }
}

fn segments(out: &mut String, rows: &PlanRows, persona_names: &HashMap<Uuid, &str>) {
    heading(out, 3, "Segments");
    if rows.segments.is_empty() {
        none_recorded(out);
        return;
    }
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
