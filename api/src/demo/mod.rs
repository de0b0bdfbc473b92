//! The demo tenant: a realistic full plan of a small company (Maison Lumière, candle makers in
//! Lyon), written through the domain layer, the same functions the GraphQL mutations call, so
//! every rule applies. `levier seed-demo` runs it; the integration tests too.

mod data;
mod measurements;

use chrono::{Datelike, NaiveDate, Utc};
use entity::{enums::PlanStatus, plan};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;
use thiserror::Error;
use uuid::Uuid;

use crate::{
    auth::{Principal, Role, claims::is_valid_tenant_key, principal::Grant},
    domain::{
        self, DomainError, Session, campaign::NewCampaign, campaign::action::NewAction,
        campaign::content::NewContentItem, lever::NewAllocation,
        lever::interaction::NewInteraction, plan::objective::NewObjective,
        strategy::brand::BrandContent, strategy::competitor::CompetitorProfile,
        strategy::market::NewMarketTrend, strategy::persona::PersonaProfile,
        strategy::pest::NewPestFactor, strategy::segment::NewSegment,
    },
    events::EventBus,
    store::{self, StoreError, page::PageRequest, plan::PlanFilter},
};

pub use data::PLAN_NAME_PREFIX;

/// The subject recorded for the seeding session.
pub const SEED_SUBJECT: &str = "levier-seed-demo";

/// What to seed.
#[derive(Debug, Clone, Default)]
pub struct SeedOptions {
    /// The plan's calendar year; the current one when absent.
    pub year: Option<i32>,
    /// Delete an existing demo plan of the tenant first instead of refusing.
    pub replace: bool,
    /// The last day with measurements; today when absent (a demo has no figures from the
    /// future).
    pub measured_until: Option<NaiveDate>,
}

/// What was seeded.
#[derive(Debug, Clone)]
pub struct SeedSummary {
    /// The tenant's id.
    pub tenant_id: Uuid,
    /// The demo plan's id.
    pub plan_id: Uuid,
    /// The demo plan's name.
    pub plan_name: String,
    /// The plan's year.
    pub year: i32,
    /// The demo plans deleted first (with `replace`).
    pub replaced_plans: usize,
    /// Personas linked to the plan (created, or reused from an earlier seeding).
    pub personas: usize,
    /// Personas created by this seeding.
    pub personas_created: usize,
    /// SWOT items.
    pub swot_items: usize,
    /// PEST(EL) factors.
    pub pest_factors: usize,
    /// Market trends.
    pub market_trends: usize,
    /// Competitors.
    pub competitors: usize,
    /// Marketing-mix dimensions set.
    pub mix_dimensions: usize,
    /// Segments.
    pub segments: usize,
    /// Objectives.
    pub objectives: usize,
    /// Lever allocations.
    pub lever_allocations: usize,
    /// Lever interactions.
    pub lever_interactions: usize,
    /// Campaigns, sub-campaigns included.
    pub campaigns: usize,
    /// Actions.
    pub actions: usize,
    /// Content items.
    pub content_items: usize,
    /// Measurements recorded (daily campaign figures and weekly community snapshots, up to
    /// today).
    pub measurements: usize,
}

/// Why seeding did not happen.
#[derive(Debug, Error)]
pub enum SeedError {
    /// The tenant already has a demo plan and `replace` was not asked.
    #[error(
        "tenant `{tenant}` already has the demo plan \"{plan}\"; nothing was changed. \
         Explore it as it is, or run again with --replace to delete it and seed a fresh one"
    )]
    AlreadySeeded {
        /// The tenant key.
        tenant: String,
        /// The existing plan's name.
        plan: String,
    },
    /// The tenant key is not a lowercase slug.
    #[error("`{0}` is not a valid tenant key: use a lowercase slug such as `demo`")]
    InvalidTenant(String),
    /// The year gives no valid calendar.
    #[error("{0} is not a year the demo can be seeded for")]
    InvalidYear(i32),
    /// A domain rule refused a row of the demo data (a bug in the data).
    #[error("the demo data was refused while writing {step}: {detail}")]
    Refused {
        /// What was being written.
        step: String,
        /// The refusal.
        detail: String,
    },
    /// The database failed.
    #[error("database failure: {0}")]
    Store(#[from] StoreError),
}

fn refused(step: impl Into<String>) -> impl FnOnce(DomainError) -> SeedError {
    move |error| SeedError::Refused {
        step: step.into(),
        detail: match error {
            DomainError::Invalid(errors) => errors
                .iter()
                .map(|e| format!("{} ({}): {}", e.field.join("."), e.code.as_str(), e.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        },
    }
}

/// The plan's name for a year.
pub fn plan_name(year: i32) -> String {
    format!("{PLAN_NAME_PREFIX} {year}")
}

fn euros(amount: i64) -> Decimal {
    Decimal::from(amount)
}

struct Calendar(i32);

impl Calendar {
    fn day(&self, (month, day): data::Day) -> Result<NaiveDate, SeedError> {
        NaiveDate::from_ymd_opt(self.0, month, day).ok_or(SeedError::InvalidYear(self.0))
    }
}

/// An ADMIN session of the tenant `tenant_key`, created if it does not exist yet.
pub async fn admin_session(
    db: &DatabaseConnection,
    tenant_key: &str,
) -> Result<Session, SeedError> {
    if !is_valid_tenant_key(tenant_key) {
        return Err(SeedError::InvalidTenant(tenant_key.to_owned()));
    }
    let tenant = store::tenant::ensure(db, tenant_key).await?;
    Ok(Session::new(
        Principal {
            subject: SEED_SUBJECT.to_owned(),
            tenant_key: tenant_key.to_owned(),
            tenant_id: tenant.id,
            grant: Grant::Role(Role::Admin),
        },
        db.clone(),
        // Seeding runs outside the server: on PostgreSQL its writes still reach running
        // servers' subscribers through the database; on SQLite no subscriber lives here.
        EventBus::new(db.get_database_backend()),
    ))
}

/// The tenant's plans whose name starts with the demo prefix.
async fn existing_demo_plans(session: &Session) -> Result<Vec<plan::Model>, SeedError> {
    let filter = PlanFilter {
        name_contains: Some(PLAN_NAME_PREFIX.to_owned()),
        ..PlanFilter::default()
    };
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest {
            after,
            before: None,
            limit: 100,
            from_end: false,
        };
        let (page, _) = domain::plan::list(session, &filter, &request)
            .await
            .map_err(refused("the list of plans"))?;
        after = page.items.last().map(|plan| plan.id);
        found.extend(
            page.items
                .into_iter()
                .filter(|plan| plan.name.starts_with(PLAN_NAME_PREFIX)),
        );
        if !page.has_next {
            return Ok(found);
        }
    }
}

/// The tenant's personas by name, so that seeding again reuses the demo personas.
async fn personas_by_name(session: &Session) -> Result<Vec<(String, Uuid)>, SeedError> {
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest {
            after,
            before: None,
            limit: 100,
            from_end: false,
        };
        let (page, _) = domain::strategy::persona::list(session, &request)
            .await
            .map_err(refused("the list of personas"))?;
        after = page.items.last().map(|persona| persona.id);
        found.extend(page.items.into_iter().map(|p| (p.name, p.id)));
        if !page.has_next {
            return Ok(found);
        }
    }
}

/// Seeds the demo plan in the tenant `tenant_key` (created if needed) and returns what it wrote.
/// Refuses with [`SeedError::AlreadySeeded`], writing nothing, when the tenant already has a
/// demo plan, unless `options.replace` asks to delete it first. The tenant's personas named
/// like the demo ones are reused rather than duplicated.
pub async fn seed(
    db: &DatabaseConnection,
    tenant_key: &str,
    options: SeedOptions,
) -> Result<SeedSummary, SeedError> {
    let year = options.year.unwrap_or_else(|| Utc::now().year());
    let calendar = Calendar(year);
    let period_start = calendar.day((1, 1))?;
    let period_end = calendar.day((12, 31))?;
    let session = admin_session(db, tenant_key).await?;

    let existing = existing_demo_plans(&session).await?;
    if let Some(first) = existing.first()
        && !options.replace
    {
        return Err(SeedError::AlreadySeeded {
            tenant: tenant_key.to_owned(),
            plan: first.name.clone(),
        });
    }
    for old in &existing {
        domain::plan::delete(&session, old.id)
            .await
            .map_err(refused(format!("the deletion of \"{}\"", old.name)))?;
    }

    // Personas first: they belong to the tenant and the plan targets them.
    let known = personas_by_name(&session).await?;
    let mut persona_ids = Vec::new();
    let mut personas_created = 0;
    for persona in &data::PERSONAS {
        if let Some((_, id)) = known.iter().find(|(name, _)| name == persona.name) {
            persona_ids.push(*id);
            continue;
        }
        let created =
            domain::strategy::persona::create(&session, persona.name.to_owned(), profile(persona))
                .await
                .map_err(refused(format!("persona \"{}\"", persona.name)))?;
        persona_ids.push(created.id);
        personas_created += 1;
    }

    let plan = domain::plan::create(
        &session,
        domain::plan::NewPlan {
            name: plan_name(year),
            description: Some(data::PLAN_DESCRIPTION.to_owned()),
            period_start,
            period_end,
            currency: Some("EUR".to_owned()),
            budget: euros(data::PLAN_BUDGET_EUROS),
            status: Some(PlanStatus::Active),
            persona_ids: persona_ids.clone(),
        },
    )
    .await
    .map_err(refused("the plan"))?;

    let mut summary = SeedSummary {
        tenant_id: session.principal().tenant_id,
        plan_id: plan.id,
        plan_name: plan.name.clone(),
        year,
        replaced_plans: existing.len(),
        personas: persona_ids.len(),
        personas_created,
        swot_items: 0,
        pest_factors: 0,
        market_trends: 0,
        competitors: 0,
        mix_dimensions: 0,
        segments: 0,
        objectives: 0,
        lever_allocations: 0,
        lever_interactions: 0,
        campaigns: 0,
        actions: 0,
        content_items: 0,
        measurements: 0,
    };
    let measured_until = options
        .measured_until
        .unwrap_or_else(|| Utc::now().date_naive());
    let filled = fill(
        &session,
        &calendar,
        plan.id,
        &persona_ids,
        measured_until,
        &mut summary,
    )
    .await;
    if let Err(error) = filled {
        // Leave no half-seeded demo plan behind (it would block the next attempt).
        let _ = domain::plan::delete(&session, plan.id).await;
        return Err(error);
    }
    Ok(summary)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn profile(persona: &data::PersonaData) -> PersonaProfile {
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

/// Writes everything inside the plan: strategy, objectives, levers, campaigns, actions, content.
async fn fill(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    persona_ids: &[Uuid],
    measured_until: NaiveDate,
    summary: &mut SeedSummary,
) -> Result<(), SeedError> {
    let personas = |indexes: &[usize]| -> Vec<Uuid> {
        indexes
            .iter()
            .filter_map(|index| persona_ids.get(*index).copied())
            .collect()
    };

    // Strategy layer.
    for (quadrant, statement, impact) in data::SWOT {
        domain::strategy::swot::create(session, plan_id, quadrant, statement, impact)
            .await
            .map_err(refused("a SWOT item"))?;
        summary.swot_items += 1;
    }
    for (category, statement, impact, likelihood) in data::PEST {
        domain::strategy::pest::create(
            session,
            NewPestFactor {
                plan_id,
                category,
                statement: statement.to_owned(),
                impact,
                likelihood,
            },
        )
        .await
        .map_err(refused("a PEST factor"))?;
        summary.pest_factors += 1;
    }
    for (statement, description, source, impact) in data::TRENDS {
        domain::strategy::market::create(
            session,
            NewMarketTrend {
                plan_id,
                statement: statement.to_owned(),
                description: Some(description.to_owned()),
                source: Some(source.to_owned()),
                impact,
            },
        )
        .await
        .map_err(refused("a market trend"))?;
        summary.market_trends += 1;
    }
    for competitor in &data::COMPETITORS {
        domain::strategy::competitor::create(
            session,
            plan_id,
            competitor.name.to_owned(),
            CompetitorProfile {
                website: Some(competitor.website.to_owned()),
                positioning: Some(competitor.positioning.to_owned()),
                strategy_notes: Some(competitor.strategy_notes.to_owned()),
                levers: competitor.levers.to_vec(),
                strengths: strings(competitor.strengths),
                weaknesses: strings(competitor.weaknesses),
            },
        )
        .await
        .map_err(refused(format!("competitor \"{}\"", competitor.name)))?;
        summary.competitors += 1;
    }
    let brand = &data::BRAND;
    domain::strategy::brand::set(
        session,
        plan_id,
        None,
        BrandContent {
            current_perception: Some(brand.current_perception.to_owned()),
            values: strings(brand.values),
            mission: Some(brand.mission.to_owned()),
            vision: Some(brand.vision.to_owned()),
            tone: Some(brand.tone.to_owned()),
            positioning_statement: Some(brand.positioning_statement.to_owned()),
        },
    )
    .await
    .map_err(refused("the brand"))?;
    for (dimension, text) in data::MIX {
        domain::strategy::mix::set(session, plan_id, dimension, Some(text))
            .await
            .map_err(refused(format!("the marketing mix ({dimension:?})")))?;
        summary.mix_dimensions += 1;
    }
    for segment in &data::SEGMENTS {
        domain::strategy::segment::create(
            session,
            NewSegment {
                plan_id,
                name: segment.name.to_owned(),
                criteria: strings(segment.criteria),
                estimated_size: Some(segment.estimated_size),
                targeted: true,
                positioning: Some(segment.positioning.to_owned()),
                persona_ids: personas(segment.personas),
            },
        )
        .await
        .map_err(refused(format!("segment \"{}\"", segment.name)))?;
        summary.segments += 1;
    }

    // Objectives.
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
            },
        )
        .await
        .map_err(refused(format!("objective \"{}\"", objective.title)))?;
        objective_ids.push(created.id);
        summary.objectives += 1;
    }

    // Levers.
    for (lever, budget, priority, rationale) in data::ALLOCATIONS {
        domain::lever::create(
            session,
            NewAllocation {
                plan_id,
                lever,
                budget: euros(budget),
                priority,
                rationale: Some(rationale.to_owned()),
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

    // Campaigns (parents come before their sub-campaigns in the table).
    let mut campaign_ids: Vec<Uuid> = Vec::new();
    for campaign in &data::CAMPAIGNS {
        let (created, _warnings) = domain::campaign::create(
            session,
            NewCampaign {
                plan_id,
                name: campaign.name.to_owned(),
                kind: campaign.kind,
                levers: campaign.levers.to_vec(),
                persona_ids: personas(campaign.personas),
                objective_ids: campaign
                    .objectives
                    .iter()
                    .filter_map(|index| objective_ids.get(*index).copied())
                    .collect(),
                start_date: calendar.day(campaign.start)?,
                end_date: calendar.day(campaign.end)?,
                budget: euros(campaign.budget_euros),
                status: Some(campaign.status),
                utm_code: Some(format!("{}-{}", campaign.utm_prefix, calendar.0)),
                parent_campaign_id: campaign
                    .parent
                    .and_then(|index| campaign_ids.get(index).copied()),
            },
        )
        .await
        .map_err(refused(format!("campaign \"{}\"", campaign.name)))?;
        campaign_ids.push(created.id);
        summary.campaigns += 1;
    }

    // Actions along the journey.
    let mut action_ids = Vec::new();
    for action in &data::ACTIONS {
        let created = domain::campaign::action::create(
            session,
            NewAction {
                plan_id,
                campaign_id: action
                    .campaign
                    .and_then(|index| campaign_ids.get(index).copied()),
                title: action.title.to_owned(),
                description: Some(action.description.to_owned()),
                action_type: action.action_type,
                lever: action.lever,
                journey_step: action.step,
                funnel_stage: action.stage,
                start_date: calendar.day(action.start)?,
                due_date: calendar.day(action.due)?,
                owner: Some(action.owner.to_owned()),
                status: Some(action.status),
                budget: euros(action.budget_euros),
                actual_cost: Some(euros(action.actual_cost_euros)),
                impact: action.ice.0,
                confidence: action.ice.1,
                ease: action.ice.2,
            },
        )
        .await
        .map_err(refused(format!("action \"{}\"", action.title)))?;
        action_ids.push(created.id);
        summary.actions += 1;
    }

    // The content plan.
    for item in &data::CONTENT {
        let Some(persona_id) = persona_ids.get(item.persona).copied() else {
            continue;
        };
        domain::campaign::content::create(
            session,
            NewContentItem {
                plan_id,
                persona_id,
                lever: item.lever,
                funnel_stage: item.stage,
                message: item.message.to_owned(),
                format: item.format.to_owned(),
                call_to_action: Some(item.call_to_action.to_owned()),
                publish_date: calendar.day(item.publish)?,
                status: Some(item.status),
                action_id: item.action.and_then(|index| action_ids.get(index).copied()),
            },
        )
        .await
        .map_err(refused(format!("content \"{}\"", item.message)))?;
        summary.content_items += 1;
    }

    // The numbers measured so far.
    let mut measured = Vec::new();
    for (campaign, id) in data::CAMPAIGNS.iter().zip(&campaign_ids) {
        measured.push(measurements::MeasuredCampaign {
            id: *id,
            levers: campaign.levers.to_vec(),
            start: calendar.day(campaign.start)?,
            end: calendar.day(campaign.end)?,
            persona_id: personas(campaign.personas).first().copied(),
        });
    }
    let rows = measurements::generate(&measured, calendar.0, measured_until);
    summary.measurements = measurements::record(session, rows)
        .await
        .map_err(refused("the measurements"))?;
    Ok(())
}
