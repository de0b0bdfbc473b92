//! Touchpoints and conversions: the batch upserts that record them, and the two reads behind
//! an attribution report (the conversions of a range, and the touches of their journeys).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{TenantOwned, campaign, conversion, enums::Lever, touchpoint};
use sea_orm::{
    ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::{Scoped, StoreResult};

/// A conversion as attribution reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionRow {
    /// Its id (the tie-break of equal times).
    pub id: Uuid,
    /// Its journey.
    pub journey_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Its value in micros.
    pub value_micros: i64,
}

/// A touchpoint as attribution reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchRow {
    /// Its id (the tie-break of equal times).
    pub id: Uuid,
    /// Its journey.
    pub journey_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Its lever.
    pub lever: Lever,
    /// Its campaign, if any.
    pub campaign_id: Option<Uuid>,
}

/// The campaigns among `ids` that exist for this tenant, in one statement.
pub async fn existing_campaigns<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<Uuid> = scope
        .select::<campaign::Entity>()
        .select_only()
        .column(campaign::Column::Id)
        .filter(scope.one_of(campaign::Column::Id, ids.iter().copied()))
        .into_tuple()
        .all(scope.connection())
        .await?;
    Ok(found.into_iter().collect())
}

/// The (source, external id) keys among `keys` already recorded in `E`, in one statement: the
/// rows whose external id is one of the batch's, narrowed to the exact pairs here.
async fn existing_keys<E, C>(
    scope: &Scoped<C>,
    source: E::Column,
    external_id: E::Column,
    keys: &[(String, String)],
) -> StoreResult<HashSet<(String, String)>>
where
    E: TenantOwned,
    C: ConnectionTrait,
{
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    // Two plain IN lists match the unique index (tenant_id, source, external_id) and plan fast
    // on PostgreSQL, where a list of 1000 (source, external id) tuples takes longer to plan
    // than to run; the few extra pairs they admit are dropped below.
    let sources: HashSet<&str> = keys.iter().map(|(source, _)| source.as_str()).collect();
    let externals: HashSet<&str> = keys.iter().map(|(_, external)| external.as_str()).collect();
    let found: Vec<(String, String)> = scope
        .select::<E>()
        .select_only()
        .column(source)
        .column(external_id)
        .filter(source.is_in(sources))
        .filter(external_id.is_in(externals))
        .into_tuple()
        .all(scope.connection())
        .await?;
    let wanted: HashSet<&(String, String)> = keys.iter().collect();
    Ok(found
        .into_iter()
        .filter(|key| wanted.contains(key))
        .collect())
}

/// The touchpoint keys among `keys` already recorded.
pub async fn existing_touchpoints<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[(String, String)],
) -> StoreResult<HashSet<(String, String)>> {
    existing_keys::<touchpoint::Entity, _>(
        scope,
        touchpoint::Column::Source,
        touchpoint::Column::ExternalId,
        keys,
    )
    .await
}

/// The conversion keys among `keys` already recorded.
pub async fn existing_conversions<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[(String, String)],
) -> StoreResult<HashSet<(String, String)>> {
    existing_keys::<conversion::Entity, _>(
        scope,
        conversion::Column::Source,
        conversion::Column::ExternalId,
        keys,
    )
    .await
}

/// Inserts the touchpoints, or updates the row of the same (source, external id), in one
/// statement (`INSERT … ON CONFLICT (tenant_id, source, external_id) DO UPDATE`): an existing
/// row keeps its id and creation time and takes everything else.
pub async fn upsert_touchpoints<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    rows: Vec<touchpoint::ActiveModel>,
) -> StoreResult<()> {
    use touchpoint::Column;
    let on_conflict = OnConflict::columns([Column::TenantId, Column::Source, Column::ExternalId])
        .update_columns([
            Column::JourneyId,
            Column::OccurredAt,
            Column::Lever,
            Column::CampaignId,
            Column::UpdatedAt,
        ])
        .to_owned();
    scope.upsert_many(rows, on_conflict).await
}

/// Inserts the conversions, or updates the row of the same (source, external id), in one
/// statement, as [`upsert_touchpoints`] does.
pub async fn upsert_conversions<C: crate::store::scope::ScopeConnection>(
    scope: &Scoped<C>,
    rows: Vec<conversion::ActiveModel>,
) -> StoreResult<()> {
    use conversion::Column;
    let on_conflict = OnConflict::columns([Column::TenantId, Column::Source, Column::ExternalId])
        .update_columns([
            Column::JourneyId,
            Column::OccurredAt,
            Column::ValueMicros,
            Column::UpdatedAt,
        ])
        .to_owned();
    scope.upsert_many(rows, on_conflict).await
}

/// The conversions with `from ≤ occurred_at < to`, at most `limit` of them, in one statement.
pub async fn conversions_between<C: ConnectionTrait>(
    scope: &Scoped<C>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<ConversionRow>> {
    let rows: Vec<(Uuid, String, DateTime<Utc>, i64)> = scope
        .select::<conversion::Entity>()
        .select_only()
        .column(conversion::Column::Id)
        .column(conversion::Column::JourneyId)
        .column(conversion::Column::OccurredAt)
        .column(conversion::Column::ValueMicros)
        .filter(conversion::Column::OccurredAt.gte(from))
        .filter(conversion::Column::OccurredAt.lt(to))
        .order_by_asc(conversion::Column::OccurredAt)
        .order_by_asc(conversion::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(scope.connection())
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, journey_id, occurred_at, value_micros)| ConversionRow {
                id,
                journey_id,
                occurred_at,
                value_micros,
            },
        )
        .collect())
}

/// A touchpoint's columns as read: id, journey, time, lever, campaign.
type TouchTuple = (Uuid, String, DateTime<Utc>, Lever, Option<Uuid>);

/// The touches that can fall in the lookback window of a conversion of `[from, to)`: those of
/// the journeys converting in the range, with `since ≤ occurred_at < to` (`since` being `from`
/// minus the lookback), at most `limit` of them, in one statement. The caller narrows them to
/// each conversion's own window.
pub async fn touches_of_converting_journeys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    since: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<TouchRow>> {
    let converting = scope
        .select::<conversion::Entity>()
        .select_only()
        .column(conversion::Column::JourneyId)
        .filter(conversion::Column::OccurredAt.gte(from))
        .filter(conversion::Column::OccurredAt.lt(to))
        .into_query();
    let rows: Vec<TouchTuple> = scope
        .select::<touchpoint::Entity>()
        .select_only()
        .column(touchpoint::Column::Id)
        .column(touchpoint::Column::JourneyId)
        .column(touchpoint::Column::OccurredAt)
        .column(touchpoint::Column::Lever)
        .column(touchpoint::Column::CampaignId)
        .filter(touchpoint::Column::OccurredAt.gte(since))
        .filter(touchpoint::Column::OccurredAt.lt(to))
        .filter(touchpoint::Column::JourneyId.in_subquery(converting))
        .limit(limit)
        .into_tuple()
        .all(scope.connection())
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, journey_id, occurred_at, lever, campaign_id)| TouchRow {
                id,
                journey_id,
                occurred_at,
                lever,
                campaign_id,
            },
        )
        .collect())
}
