//! Writes the demo plan's sections through the domain, in the order their rows refer to each
//! other: strategy, objectives, levers, campaigns, actions, content, then the measurements.

mod campaigns;
mod strategy;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{SeedError, SeedSummary, data, measurements, refused};
use crate::domain::{
    self, Session, lever::NewAllocation, lever::interaction::NewInteraction,
    plan::objective::NewObjective, strategy::persona::PersonaProfile,
};

pub(super) fn euros(amount: i64) -> Decimal {
    Decimal::from(amount)
}

/// The plan's year, to turn the tables' `(month, day)` into dates.
pub(super) struct Calendar(pub(super) i32);

impl Calendar {
    pub(super) fn day(&self, (month, day): data::Day) -> Result<NaiveDate, SeedError> {
        NaiveDate::from_ymd_opt(self.0, month, day).ok_or(SeedError::InvalidYear(self.0))
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

pub(super) fn profile(persona: &data::PersonaData) -> PersonaProfile {
    PersonaProfile {
        summary: Some(persona.summary.to_owned()),
        age_min: Some(persona.age.0),
        age_max: Some(persona.age.1),
        gender: Some(persona.gender.to_owned()),
        location: Some(persona.location.to_owned()),
        occupation: Some(persona.occupation.to_owned()),
        income_band: Some(persona.income_band.to_owned()),
        education: Some(persona.education.to_owned()),
        behaviors: strings(persona.behaviors),
        values: strings(persona.values),
        interests: strings(persona.interests),
        lifestyle: Some(persona.lifestyle.to_owned()),
        goals: strings(persona.goals),
        motivations: strings(persona.motivations),
        needs: strings(persona.needs),
        pain_points: strings(persona.pain_points),
        objections: strings(persona.objections),
        preferred_levers: persona.preferred_levers.to_vec(),
    }
}

/// The ids of the personas at `indexes` of the personas table.
fn personas(persona_ids: &[Uuid], indexes: &[usize]) -> Vec<Uuid> {
    indexes
        .iter()
        .filter_map(|index| persona_ids.get(*index).copied())
        .collect()
}

/// Writes everything inside the plan: strategy, objectives, levers, campaigns, actions, content.
pub(super) async fn fill(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    persona_ids: &[Uuid],
    measured_until: NaiveDate,
    summary: &mut SeedSummary,
) -> Result<(), SeedError> {
    strategy::write(session, plan_id, persona_ids, summary).await?;
    let objective_ids = objectives(session, calendar, plan_id, summary).await?;
    levers(session, plan_id, summary).await?;
    let campaign_ids = campaigns::campaigns(
        session,
        calendar,
        plan_id,
        persona_ids,
        &objective_ids,
        summary,
    )
    .await?;
    let action_ids = campaigns::actions(session, calendar, plan_id, &campaign_ids, summary).await?;
    campaigns::content(
        session,
        calendar,
        plan_id,
        persona_ids,
        &action_ids,
        summary,
    )
    .await?;

    // The numbers measured so far.
    let mut measured = Vec::new();
    for (campaign, id) in data::CAMPAIGNS.iter().zip(&campaign_ids) {
        measured.push(measurements::MeasuredCampaign {
            id: *id,
            levers: campaign.levers.to_vec(),
            start: calendar.day(campaign.start)?,
            end: calendar.day(campaign.end)?,
            persona_id: personas(persona_ids, campaign.personas).first().copied(),
        });
    }
    let rows = measurements::generate(&measured, calendar.0, measured_until);
    summary.measurements = measurements::record(session, rows)
        .await
        .map_err(refused("the measurements"))?;
    Ok(())
}

/// The SMART objectives; their ids, in the table's order.
async fn objectives(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    summary: &mut SeedSummary,
) -> Result<Vec<Uuid>, SeedError> {
    let mut objective_ids = Vec::new();
    for objective in &data::OBJECTIVES {
        let created = domain::plan::objective::create(
            session,
            NewObjective {
                plan_id,
                title: objective.title.to_owned(),
                statement: Some(objective.statement.to_owned()),
                kind: objective.kind,
                kpi_key: Some(objective.kpi_key.to_owned()),
                baseline: Some(Decimal::new(objective.baseline.0, objective.baseline.1)),
                target: Some(Decimal::new(objective.target.0, objective.target.1)),
                rationale: Some(objective.rationale.to_owned()),
                deadline: Some(calendar.day(objective.deadline)?),
                external_ref: None,
            },
        )
        .await
        .map_err(refused(format!("objective \"{}\"", objective.title)))?;
        objective_ids.push(created.id);
        summary.objectives += 1;
    }
    Ok(objective_ids)
}

/// The lever allocations and interactions.
async fn levers(
    session: &Session,
    plan_id: Uuid,
    summary: &mut SeedSummary,
) -> Result<(), SeedError> {
    for (lever, budget, priority, rationale) in data::ALLOCATIONS {
        domain::lever::create(
            session,
            NewAllocation {
                plan_id,
                lever,
                budget: euros(budget),
                priority,
                rationale: Some(rationale.to_owned()),
                external_ref: None,
            },
        )
        .await
        .map_err(refused(format!("the allocation of {lever:?}")))?;
        summary.lever_allocations += 1;
    }
    for (from_lever, to_lever, kind, note) in data::INTERACTIONS {
        domain::lever::interaction::create(
            session,
            NewInteraction {
                plan_id,
                from_lever,
                to_lever,
                kind,
                note: Some(note.to_owned()),
            },
        )
        .await
        .map_err(refused(format!(
            "the interaction {from_lever:?} → {to_lever:?}"
        )))?;
        summary.lever_interactions += 1;
    }
    Ok(())
}
