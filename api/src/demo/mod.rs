//! The demo tenant: a realistic full plan of a small company (Maison Lumière, candle makers in
//! Lyon), written through the domain layer, the same functions the GraphQL mutations call, so
//! every rule applies. `levier seed-demo` runs it; the integration tests too.

mod data;
mod existing;
mod measurements;
mod write;

use chrono::{Datelike, NaiveDate, Utc};
use entity::enums::PlanStatus;
use sea_orm::DatabaseConnection;
use thiserror::Error;
use uuid::Uuid;

use crate::{
    auth::{Principal, Role, claims::is_valid_tenant_key, principal::Grant},
    domain::{self, DomainError, Session},
    events::EventBus,
    store::{self, StoreError},
};
use existing::{existing_demo_plans, personas_by_name};
use write::{Calendar, euros, fill, profile};

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
            valid_until: None,
            agency: false,
        },
        db.clone(),
        // Seeding runs outside the server: on PostgreSQL its writes still reach running
        // servers' subscribers through the database; on SQLite no subscriber lives here.
        EventBus::new(db.get_database_backend()),
    ))
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
