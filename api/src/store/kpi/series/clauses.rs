//! The clauses every series statement shares: the measurements' filter, the grouped columns,
//! and `GROUP BY … LIMIT`.

use uuid::Uuid;

use super::{Dimension, SeriesFilter, Sql};

/// ` FROM table WHERE tenant_id = ?`, `key IN (…)` and the filter's conditions (the raw
/// measurements and their rollups have the same columns for all of them).
pub(super) fn push_filter(
    sql: &mut Sql,
    table: &str,
    tenant_id: Uuid,
    keys: &[&str],
    filter: &SeriesFilter,
) {
    sql.push(" FROM ")
        .push(table)
        .push(" WHERE \"tenant_id\" = ")
        .bind(tenant_id)
        .push(" AND \"kpi_key\" IN ")
        .bind_list(keys.iter().map(|key| (*key).to_owned()))
        .push(" AND \"date\" >= ")
        .bind(filter.from)
        .push(" AND \"date\" <= ")
        .bind(filter.to);
    if let Some(plan_id) = filter.plan_id {
        sql.push(" AND \"plan_id\" = ").bind(plan_id);
    }
    if !filter.campaign_ids.is_empty() {
        sql.push(" AND \"campaign_id\" IN ")
            .bind_list(filter.campaign_ids.iter().copied());
    }
    if !filter.levers.is_empty() {
        sql.push(" AND \"lever\" IN ")
            .bind_list(filter.levers.iter().map(sea_orm::ActiveEnum::to_value));
    }
    if !filter.persona_ids.is_empty() {
        sql.push(" AND \"persona_id\" IN ")
            .bind_list(filter.persona_ids.iter().copied());
    }
}

/// `, d1, d2` for the grouped dimensions.
pub(super) fn dimension_list(dimensions: &[Dimension]) -> String {
    dimensions
        .iter()
        .map(|dimension| format!(", {}", dimension.column()))
        .collect()
}

/// `GROUP BY 1, 2, … LIMIT n`: by position, so no expression (nor its parameters) is repeated.
pub(super) fn push_group_and_limit(sql: &mut Sql, dimensions: &[Dimension], limit: u64) {
    let positions: Vec<String> = (1..=dimensions.len() + 1).map(|i| i.to_string()).collect();
    sql.push(" GROUP BY ")
        .push(&positions.join(", "))
        .push(&format!(" LIMIT {limit}"));
}
