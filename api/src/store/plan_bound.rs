//! What a scope bound to one plan may see of each table: the condition [`super::Scoped`] adds,
//! beside the tenant's, to every statement of a share link's holder.
//!
//! The rule is an allow-list by table: a plan's own row, the rows that carry its `plan_id`,
//! the personas it targets, the links of its campaigns and segments, and the tenant's own KPI
//! definitions its objectives name. Any other table — API keys, share links, measurements,
//! attribution, and every table added later until it is listed here — yields no row at all.

use std::str::FromStr;

use entity::{TenantOwned, campaign, objective, plan_persona, segment};
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Query, SelectStatement},
};
use uuid::Uuid;

/// How the rows of a table belong to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Belonging {
    /// The plan's own row (`plans`): `id` is the plan.
    Itself,
    /// A row of the plan's contents: its `plan_id` column is the plan.
    PlanColumn,
    /// A persona the plan targets (`plan_personas`).
    TargetedPersona,
    /// A link of one of the plan's campaigns (`campaign_id`).
    CampaignLink,
    /// A link of one of the plan's segments (`segment_id`).
    SegmentLink,
    /// A tenant's KPI definition named by one of the plan's objectives (`key`).
    ObjectiveKpi,
    /// Nothing of the table belongs to a plan.
    Nothing,
}

/// The allow-list.
fn belonging(table: &str) -> Belonging {
    match table {
        "plans" => Belonging::Itself,
        "campaigns"
        | "actions"
        | "content_items"
        | "objectives"
        | "brands"
        | "competitors"
        | "market_trends"
        | "marketing_mix_entries"
        | "pest_factors"
        | "segments"
        | "swot_items"
        | "lever_allocations"
        | "lever_interactions"
        | "plan_personas"
        | "plan_review_events" => Belonging::PlanColumn,
        "personas" => Belonging::TargetedPersona,
        "campaign_levers" | "campaign_objectives" | "campaign_personas" => Belonging::CampaignLink,
        "persona_segments" => Belonging::SegmentLink,
        "tenant_kpi_definitions" => Belonging::ObjectiveKpi,
        _ => Belonging::Nothing,
    }
}

/// `SELECT <column> FROM <E> WHERE tenant_id = ? AND plan_id = ?`.
fn of_plan<E: TenantOwned>(
    column: E::Column,
    plan_column: E::Column,
    tenant_id: Uuid,
    plan_id: Uuid,
) -> SelectStatement {
    Query::select()
        .column(column)
        .from(E::default())
        .and_where(E::tenant_column().eq(tenant_id))
        .and_where(plan_column.eq(plan_id))
        .to_owned()
}

/// The condition that keeps the rows of `E` to those of plan `plan_id` of tenant `tenant_id`.
/// A table off the allow-list, or whose columns are not those its entry expects, keeps none.
pub fn condition<E: TenantOwned>(tenant_id: Uuid, plan_id: Uuid) -> Condition {
    let column = |name: &str| E::Column::from_str(name).ok();
    let nothing = || Condition::all().add(E::tenant_column().is_null());
    let kept = match belonging(E::default().table_name()) {
        Belonging::Itself => column("id").map(|id| id.eq(plan_id)),
        Belonging::PlanColumn => column("plan_id").map(|plan| plan.eq(plan_id)),
        Belonging::TargetedPersona => column("id").map(|id| {
            id.in_subquery(of_plan::<plan_persona::Entity>(
                plan_persona::Column::PersonaId,
                plan_persona::Column::PlanId,
                tenant_id,
                plan_id,
            ))
        }),
        Belonging::CampaignLink => column("campaign_id").map(|campaign_id| {
            campaign_id.in_subquery(of_plan::<campaign::Entity>(
                campaign::Column::Id,
                campaign::Column::PlanId,
                tenant_id,
                plan_id,
            ))
        }),
        Belonging::SegmentLink => column("segment_id").map(|segment_id| {
            segment_id.in_subquery(of_plan::<segment::Entity>(
                segment::Column::Id,
                segment::Column::PlanId,
                tenant_id,
                plan_id,
            ))
        }),
        Belonging::ObjectiveKpi => column("key").map(|key| {
            key.in_subquery(of_plan::<objective::Entity>(
                objective::Column::KpiKey,
                objective::Column::PlanId,
                tenant_id,
                plan_id,
            ))
        }),
        Belonging::Nothing => None,
    };
    kept.map_or_else(nothing, |kept| Condition::all().add(kept))
}

#[cfg(test)]
mod tests {
    use entity::{api_key, measurement, persona, plan, share_link};
    use sea_orm::{DbBackend, QueryFilter, QueryTrait};

    use super::*;

    fn sql<E: TenantOwned>() -> String {
        E::find()
            .filter(condition::<E>(Uuid::nil(), Uuid::max()))
            .build(DbBackend::Postgres)
            .to_string()
    }

    #[test]
    fn a_plan_sees_itself_its_rows_and_its_personas() {
        assert!(
            sql::<plan::Entity>()
                .contains(r#""plans"."id" = 'ffffffff-ffff-ffff-ffff-ffffffffffff'"#)
        );
        assert!(sql::<campaign::Entity>().contains(r#""campaigns"."plan_id" ="#));
        assert!(
            sql::<persona::Entity>()
                .contains(r#""personas"."id" IN (SELECT "persona_id" FROM "plan_personas""#)
        );
    }

    #[test]
    fn tables_off_the_list_yield_nothing() {
        for statement in [
            sql::<api_key::Entity>(),
            sql::<share_link::Entity>(),
            sql::<measurement::Entity>(),
        ] {
            assert!(statement.contains(r#""tenant_id" IS NULL"#), "{statement}");
        }
    }
}
