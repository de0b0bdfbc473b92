//! Copying a plan into a new period (`copyPlan`): the whole plan — personas links, strategy
//! layer, lever allocations and interactions, objectives, campaigns with their links, actions
//! and content items — duplicated in one transaction under new ids, with every date moved to
//! the new period and every status reset to its starting value.
//!
//! # How dates move
//! The shift is `new periodStart − old periodStart`, measured as a calendar would:
//! - when both starts fall on the same day of the month (the usual "same plan, next year" or
//!   "next quarter"), every date moves by that whole number of months, so a campaign of
//!   1–31 March stays on 1–31 March whatever the leap years in between. A date on the last
//!   day of its month lands on the last day of its new month (28 February → 29 February in a
//!   leap year, 30 April → 31 May), and a day the new month lacks falls back to its last day
//!   (29 February → 28 February, 31 January → 28 February). The period's end moves the same
//!   way, so the new period has the same length in months (a calendar year stays one);
//! - otherwise every date moves by the same number of days, and the new period has exactly the
//!   same number of days.
//!
//! Both rules keep the order of dates, so every copied date already lies inside the new
//! period; each one is still clamped into it (`max(start, min(end, date))`) so that no
//! calendar corner can ever put a copied campaign, action, objective or content item outside
//! its plan.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate, Utc};
use entity::{
    action, action_enums::ActionStatus, action_enums::ContentStatus, brand, campaign,
    campaign_lever, campaign_objective, campaign_persona, competitor, content_item,
    enums::CampaignStatus, enums::PlanStatus, lever_allocation, lever_interaction, market_trend,
    marketing_mix_entry, objective, persona_segment, pest_factor, plan, plan_persona, segment,
    swot_item,
};
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session,
    validation::{self, Violations},
};
use crate::{auth::Permission, store};

/// What `copyPlan` is asked for.
#[derive(Debug, Clone)]
pub struct PlanCopyRequest {
    /// The plan to copy.
    pub plan_id: Uuid,
    /// The new plan's name.
    pub name: String,
    /// The first day of the new plan's period.
    pub period_start: NaiveDate,
}

/// How dates move from one period to another (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodShift {
    /// Whole months (same day of the month) or days.
    step: Step,
    /// The new period's first day.
    pub start: NaiveDate,
    /// The new period's last day.
    pub end: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Months(i32),
    Days(i64),
}

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).unwrap_or(day);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(day)
}

fn shift_raw(step: Step, day: NaiveDate) -> Option<NaiveDate> {
    match step {
        Step::Days(days) => day.checked_add_signed(chrono::Duration::days(days)),
        Step::Months(months) => {
            let count = Months::new(months.unsigned_abs());
            let moved = if months >= 0 {
                day.checked_add_months(count)
            } else {
                day.checked_sub_months(count)
            }?;
            if day == last_day_of_month(day) {
                Some(last_day_of_month(moved))
            } else {
                Some(moved)
            }
        }
    }
}

impl PeriodShift {
    /// The shift from the period `[old_start, old_end]` to one starting on `new_start`, or
    /// `None` when the new period's end cannot be represented.
    pub fn new(old_start: NaiveDate, old_end: NaiveDate, new_start: NaiveDate) -> Option<Self> {
        let step = if old_start.day() == new_start.day() {
            let months = (new_start.year() - old_start.year()) * 12 + new_start.month() as i32
                - old_start.month() as i32;
            Step::Months(months)
        } else {
            Step::Days((new_start - old_start).num_days())
        };
        let end = shift_raw(step, old_end)?.max(new_start);
        Some(Self {
            step,
            start: new_start,
            end,
        })
    }

    /// Where `day` of the old period lands in the new one (always inside it).
    pub fn apply(&self, day: NaiveDate) -> NaiveDate {
        shift_raw(self.step, day)
            .unwrap_or(self.end)
            .clamp(self.start, self.end)
    }
}

/// Copies the plan as asked, in one transaction: nothing is written if anything fails.
/// Returns the new plan.
pub async fn copy(session: &Session, request: PlanCopyRequest) -> DomainResult<plan::Model> {
    let scope = session.scope(Permission::EditPlan)?;
    let transaction = scope.begin().await?;
    let source = store::plan::contents::load(&transaction, request.plan_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut violations = Violations::new();
    let name = violations.name("name", &request.name);
    let shift = PeriodShift::new(
        source.plan.period_start,
        source.plan.period_end,
        request.period_start,
    );
    match shift {
        None => violations.add(
            &["periodStart"],
            FieldErrorCode::OutOfRange,
            "the new period would end beyond the last date this server can store",
        ),
        Some(shift) if !validation::is_supported_date(shift.end) => violations.add(
            &["periodStart"],
            FieldErrorCode::OutOfRange,
            format!(
                "the new period would end on {}, after the last date accepted ({})",
                shift.end,
                validation::LAST_DATE
            ),
        ),
        // A plan stored before periods were bounded cannot be copied into a longer one.
        Some(shift) => crate::domain::plan::check_period_length(
            &mut violations,
            "periodStart",
            shift.start,
            shift.end,
        ),
    }
    violations.finish()?;
    // Reported above as a violation, so this never refuses anything finish() let through.
    let shift = shift.ok_or(DomainError::NotFound)?;

    let now = Utc::now();
    let tenant_id = transaction.tenant_id();
    let plan_id = Uuid::now_v7();
    let mut ids: HashMap<Uuid, Uuid> = HashMap::new();
    let mut new_id = |old: Uuid| -> Uuid {
        let id = Uuid::now_v7();
        ids.insert(old, id);
        id
    };

    let new_plan = plan::Model {
        tenant_id,
        id: plan_id,
        name,
        description: source.plan.description.clone(),
        period_start: shift.start,
        period_end: shift.end,
        currency: source.plan.currency.clone(),
        budget_micros: source.plan.budget_micros,
        status: PlanStatus::Draft,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let plan_personas: Vec<plan_persona::Model> = source
        .plan_personas
        .iter()
        .map(|link| plan_persona::Model {
            plan_id,
            ..link.clone()
        })
        .collect();
    let trends: Vec<market_trend::Model> = source
        .trends
        .iter()
        .map(|row| market_trend::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let competitors: Vec<competitor::Model> = source
        .competitors
        .iter()
        .map(|row| competitor::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let swot_items: Vec<swot_item::Model> = source
        .swot_items
        .iter()
        .map(|row| swot_item::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let pest_factors: Vec<pest_factor::Model> = source
        .pest_factors
        .iter()
        .map(|row| pest_factor::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let brands: Vec<brand::Model> = source
        .brand
        .iter()
        .map(|row| brand::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let mix: Vec<marketing_mix_entry::Model> = source
        .mix
        .iter()
        .map(|row| marketing_mix_entry::Model {
            plan_id,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let segments: Vec<segment::Model> = source
        .segments
        .iter()
        .map(|row| segment::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let objectives: Vec<objective::Model> = source
        .objectives
        .iter()
        .map(|row| objective::Model {
            id: new_id(row.id),
            plan_id,
            deadline: shift.apply(row.deadline),
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let allocations: Vec<lever_allocation::Model> = source
        .allocations
        .iter()
        .map(|row| lever_allocation::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    let interactions: Vec<lever_interaction::Model> = source
        .interactions
        .iter()
        .map(|row| lever_interaction::Model {
            id: new_id(row.id),
            plan_id,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();
    // New ids of every campaign first, so that parents can be remapped whatever the order.
    for row in &source.campaigns {
        new_id(row.id);
    }
    for row in &source.actions {
        new_id(row.id);
    }
    let remap = |old: Uuid| ids.get(&old).copied();
    let segment_personas: Vec<persona_segment::Model> = source
        .segment_personas
        .iter()
        .filter_map(|link| {
            Some(persona_segment::Model {
                segment_id: remap(link.segment_id)?,
                ..link.clone()
            })
        })
        .collect();
    let campaigns: Vec<campaign::Model> = parents_first(&source.campaigns)
        .into_iter()
        .filter_map(|row| {
            Some(campaign::Model {
                id: remap(row.id)?,
                plan_id,
                start_date: shift.apply(row.start_date),
                end_date: shift.apply(row.end_date),
                status: CampaignStatus::Planned,
                parent_campaign_id: row.parent_campaign_id.and_then(remap),
                version: 1,
                created_at: now,
                updated_at: now,
                ..row.clone()
            })
        })
        .collect();
    let campaign_levers: Vec<campaign_lever::Model> = source
        .campaign_levers
        .iter()
        .filter_map(|link| {
            Some(campaign_lever::Model {
                campaign_id: remap(link.campaign_id)?,
                ..link.clone()
            })
        })
        .collect();
    let campaign_personas: Vec<campaign_persona::Model> = source
        .campaign_personas
        .iter()
        .filter_map(|link| {
            Some(campaign_persona::Model {
                campaign_id: remap(link.campaign_id)?,
                ..link.clone()
            })
        })
        .collect();
    let campaign_objectives: Vec<campaign_objective::Model> = source
        .campaign_objectives
        .iter()
        .filter_map(|link| {
            Some(campaign_objective::Model {
                campaign_id: remap(link.campaign_id)?,
                objective_id: remap(link.objective_id)?,
                ..link.clone()
            })
        })
        .collect();
    let actions: Vec<action::Model> = source
        .actions
        .iter()
        .filter_map(|row| {
            Some(action::Model {
                id: remap(row.id)?,
                plan_id,
                campaign_id: row.campaign_id.and_then(remap),
                start_date: shift.apply(row.start_date),
                due_date: shift.apply(row.due_date),
                status: ActionStatus::Todo,
                actual_cost_micros: 0,
                version: 1,
                created_at: now,
                updated_at: now,
                ..row.clone()
            })
        })
        .collect();
    let content_items: Vec<content_item::Model> = source
        .content_items
        .iter()
        .map(|row| content_item::Model {
            id: Uuid::now_v7(),
            plan_id,
            action_id: row.action_id.and_then(remap),
            publish_date: shift.apply(row.publish_date),
            status: ContentStatus::Idea,
            version: 1,
            created_at: now,
            updated_at: now,
            ..row.clone()
        })
        .collect();

    use store::plan::contents::insert_rows;
    let created = new_plan.clone();
    insert_rows::<plan::Entity, plan::ActiveModel, _>(&transaction, vec![new_plan]).await?;
    insert_rows::<plan_persona::Entity, plan_persona::ActiveModel, _>(&transaction, plan_personas)
        .await?;
    insert_rows::<market_trend::Entity, market_trend::ActiveModel, _>(&transaction, trends).await?;
    insert_rows::<competitor::Entity, competitor::ActiveModel, _>(&transaction, competitors)
        .await?;
    insert_rows::<swot_item::Entity, swot_item::ActiveModel, _>(&transaction, swot_items).await?;
    insert_rows::<pest_factor::Entity, pest_factor::ActiveModel, _>(&transaction, pest_factors)
        .await?;
    insert_rows::<brand::Entity, brand::ActiveModel, _>(&transaction, brands).await?;
    insert_rows::<marketing_mix_entry::Entity, marketing_mix_entry::ActiveModel, _>(
        &transaction,
        mix,
    )
    .await?;
    insert_rows::<segment::Entity, segment::ActiveModel, _>(&transaction, segments).await?;
    insert_rows::<persona_segment::Entity, persona_segment::ActiveModel, _>(
        &transaction,
        segment_personas,
    )
    .await?;
    insert_rows::<objective::Entity, objective::ActiveModel, _>(&transaction, objectives).await?;
    insert_rows::<lever_allocation::Entity, lever_allocation::ActiveModel, _>(
        &transaction,
        allocations,
    )
    .await?;
    insert_rows::<lever_interaction::Entity, lever_interaction::ActiveModel, _>(
        &transaction,
        interactions,
    )
    .await?;
    insert_rows::<campaign::Entity, campaign::ActiveModel, _>(&transaction, campaigns).await?;
    insert_rows::<campaign_lever::Entity, campaign_lever::ActiveModel, _>(
        &transaction,
        campaign_levers,
    )
    .await?;
    insert_rows::<campaign_persona::Entity, campaign_persona::ActiveModel, _>(
        &transaction,
        campaign_personas,
    )
    .await?;
    insert_rows::<campaign_objective::Entity, campaign_objective::ActiveModel, _>(
        &transaction,
        campaign_objectives,
    )
    .await?;
    insert_rows::<action::Entity, action::ActiveModel, _>(&transaction, actions).await?;
    insert_rows::<content_item::Entity, content_item::ActiveModel, _>(&transaction, content_items)
        .await?;
    transaction.commit().await?;
    Ok(created)
}

/// The campaigns ordered so that each parent comes before its sub-campaigns (the copies are
/// inserted in that order, so a parent always exists when its children reference it).
fn parents_first(campaigns: &[campaign::Model]) -> Vec<&campaign::Model> {
    let present: std::collections::HashSet<Uuid> = campaigns.iter().map(|row| row.id).collect();
    let mut placed: std::collections::HashSet<Uuid> = std::collections::HashSet::new();
    let mut ordered = Vec::with_capacity(campaigns.len());
    while ordered.len() < campaigns.len() {
        let before = ordered.len();
        for row in campaigns {
            let ready = match row.parent_campaign_id {
                Some(parent) if present.contains(&parent) => placed.contains(&parent),
                _ => true,
            };
            if ready && !placed.contains(&row.id) {
                placed.insert(row.id);
                ordered.push(row);
            }
        }
        if ordered.len() == before {
            // A cycle (which the API never lets in): place the rest as they come.
            ordered.extend(campaigns.iter().filter(|row| !placed.contains(&row.id)));
            break;
        }
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn same_day_of_month_moves_by_whole_months() {
        let shift = PeriodShift::new(day("2028-01-01"), day("2028-12-31"), day("2029-01-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2029-12-31"));
        assert_eq!(shift.apply(day("2028-03-01")), day("2029-03-01"));
        assert_eq!(shift.apply(day("2028-02-29")), day("2029-02-28"));
        assert_eq!(shift.apply(day("2028-02-28")), day("2029-02-28"));
        assert_eq!(shift.apply(day("2028-04-30")), day("2029-04-30"));
        assert_eq!(shift.apply(day("2028-12-31")), day("2029-12-31"));
    }

    #[test]
    fn end_of_month_stays_end_of_month() {
        let shift = PeriodShift::new(day("2027-02-01"), day("2027-02-28"), day("2028-02-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2028-02-29"));
        assert_eq!(shift.apply(day("2027-02-28")), day("2028-02-29"));
        let backwards = PeriodShift::new(day("2028-01-01"), day("2028-03-31"), day("2027-12-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(backwards.end, day("2028-02-29"));
        assert_eq!(backwards.apply(day("2028-03-31")), day("2028-02-29"));
        assert_eq!(backwards.apply(day("2028-03-30")), day("2028-02-29"));
    }

    #[test]
    fn other_starts_move_by_days_and_keep_the_length() {
        let shift = PeriodShift::new(day("2027-01-01"), day("2027-12-31"), day("2027-03-15"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.end, day("2028-03-13"));
        assert_eq!(shift.apply(day("2027-02-28")), day("2027-05-12"));
    }

    #[test]
    fn dates_are_clamped_into_the_new_period() {
        let shift = PeriodShift::new(day("2027-01-01"), day("2027-12-31"), day("2028-01-01"))
            .unwrap_or_else(|| panic!("representable"));
        assert_eq!(shift.apply(day("2028-06-01")), day("2028-12-31"));
        assert_eq!(shift.apply(day("2026-01-01")), day("2028-01-01"));
    }
}
