//! The audit trail (`audit_events`): one append-only row per change made through the API,
//! written in the same transaction as the change.
//!
//! Every write of [`super::Scoped`] appends its rows itself (see `scope.rs`), so that no write
//! path can skip them; [`append`] is the one function that writes them, in one multi-row
//! `INSERT` however many there are. Which tables are audited, and how, is [`audited`]:
//!
//! - an **object** table (plans, campaigns, actions, personas…) gets one row per created,
//!   updated (`STATUS_CHANGED` when `status` changed), detached or deleted row, with the row's
//!   fields before and after as JSON (camelCase column names; money as the integer micros
//!   stored; secrets' hashes left out);
//! - a **link** table (a campaign's personas, a plan's personas, a segment's personas, a
//!   campaign's levers and objectives, a plan's marketing mix, a scenario's budgets) is recorded
//!   on its parent object, as an `UPDATED` entry naming the list that changed (`personaIds`…);
//! - a **batch** table (measurements, attribution touchpoints and conversions, exchange rates) is
//!   not recorded row by row: its batch writes one entry of its own, with its counts;
//! - `audit_events` itself is never written through the scope.
//!
//! Technical stamps (an API key's or a share link's last use, rate buckets) are not written
//! through the scope and are not audited. Rows removed by a database cascade (a plan's campaigns
//! when the plan is deleted) get no row of their own: the deletion of their parent is recorded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::audit_event;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, IdenStatic,
    Iterable, ModelTrait, QueryFilter, Set, Value,
};
use serde_json::{Map, Value as Json};
use uuid::Uuid;

use super::StoreResult;

/// What kind of caller made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A user, authenticated by a JWT.
    User,
    /// An API key.
    ApiKey,
    /// A share link's holder (who cannot write: listed for completeness).
    ShareLink,
    /// The server itself (a background task, the CLI, a test's direct scope).
    System,
}

impl ActorKind {
    /// The name stored in `actor_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "USER",
            Self::ApiKey => "API_KEY",
            Self::ShareLink => "SHARE_LINK",
            Self::System => "SYSTEM",
        }
    }
}

/// Who makes the changes of a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's subject, `apikey:<prefix>`, `share:<prefix>` or `system`.
    pub subject: String,
    /// What kind of caller it is.
    pub kind: ActorKind,
    /// The role the changes are made with (a user's role), if any.
    pub role: Option<String>,
    /// Whether the caller's token was an agency token (the `tenants` claim).
    pub agency: bool,
}

impl Actor {
    /// The server itself.
    pub fn system() -> Self {
        Self {
            subject: "system".into(),
            kind: ActorKind::System,
            role: None,
            agency: false,
        }
    }
}

/// What every audit row of a scope carries besides the change: the actor and the request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditContext {
    /// Who makes the changes.
    pub actor: Actor,
    /// The request's `x-request-id`, when the changes come through HTTP.
    pub request_id: Option<String>,
}

impl Default for AuditContext {
    fn default() -> Self {
        Self {
            actor: Actor::system(),
            request_id: None,
        }
    }
}

/// `CREATED`.
pub const CREATED: &str = "CREATED";
/// `UPDATED`.
pub const UPDATED: &str = "UPDATED";
/// `DELETED`.
pub const DELETED: &str = "DELETED";
/// `STATUS_CHANGED`: an update whose `status` changed.
pub const STATUS_CHANGED: &str = "STATUS_CHANGED";
/// `UPSERTED`: a row written by an upsert to an object table (created or replaced).
pub const UPSERTED: &str = "UPSERTED";

/// One audit row to append.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What happened (`CREATED`, `UPDATED`…).
    pub action: String,
    /// The GraphQL type name of the object.
    pub object_type: String,
    /// The object's id.
    pub object_id: Uuid,
    /// The plan the object belongs to, if any.
    pub plan_id: Option<Uuid>,
    /// The object's fields before (`None` for a creation).
    pub before: Option<Json>,
    /// The object's fields after (`None` for a deletion).
    pub after: Option<Json>,
    /// The names of the fields that changed.
    pub changed_fields: Vec<String>,
    /// Counts and extras.
    pub details: Option<Json>,
}

/// Appends `entries` for tenant `tenant_id`, made by `context`'s actor, in one statement on
/// `connection` (the caller's transaction: the rows commit or roll back with the change).
pub async fn append<C: ConnectionTrait>(
    connection: &C,
    tenant_id: Uuid,
    context: &AuditContext,
    entries: Vec<Entry>,
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = entries.into_iter().map(|entry| audit_event::ActiveModel {
        seq: NotSet,
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        occurred_at: Set(now),
        txid: NotSet,
        action: Set(entry.action),
        object_type: Set(entry.object_type),
        object_id: Set(entry.object_id),
        plan_id: Set(entry.plan_id),
        actor_subject: Set(context.actor.subject.clone()),
        actor_kind: Set(context.actor.kind.as_str().to_owned()),
        actor_role: Set(context.actor.role.clone()),
        actor_agency: Set(context.actor.agency),
        request_id: Set(context.request_id.clone()),
        before: Set(entry.before),
        after: Set(entry.after),
        changed_fields: Set(Json::from(entry.changed_fields)),
        details: Set(entry.details),
    });
    audit_event::Entity::insert_many(rows)
        .exec_without_returning(connection)
        .await?;
    Ok(())
}

/// The retention purge: deletes the audit rows of every tenant that occurred before `cutoff`,
/// except those an enabled webhook endpoint of their tenant has not received yet (after its
/// cursor), which are kept until it has (or is disabled or deleted); returns how many were
/// deleted. The audit table is the webhooks' outbox, so an event must outlive its delivery.
pub async fn purge_older_than<C: ConnectionTrait>(
    connection: &C,
    cutoff: DateTime<Utc>,
) -> StoreResult<u64> {
    let undelivered = sea_orm::sea_query::Expr::cust(
        "NOT EXISTS (SELECT 1 FROM \"webhook_endpoints\" AS \"endpoint\" \
         WHERE \"endpoint\".\"tenant_id\" = \"audit_events\".\"tenant_id\" \
         AND \"endpoint\".\"enabled\" = TRUE \
         AND (\"audit_events\".\"txid\" > \"endpoint\".\"cursor_txid\" \
         OR (\"audit_events\".\"txid\" = \"endpoint\".\"cursor_txid\" \
         AND \"audit_events\".\"seq\" > \"endpoint\".\"cursor_seq\")))",
    );
    Ok(audit_event::Entity::delete_many()
        .filter(audit_event::Column::OccurredAt.lt(cutoff))
        .filter(undelivered)
        .exec(connection)
        .await?
        .rows_affected)
}

/// How the writes to a table are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audited {
    /// One entry per row, on the object of this GraphQL type.
    Object(&'static str),
    /// On the parent object: its `parent` column names it, of GraphQL type `parent_type`, whose
    /// list `field` changed.
    Link {
        parent: &'static str,
        parent_type: &'static str,
        field: &'static str,
    },
    /// Not row by row: the batch that writes the table records one entry of its own.
    Batch,
}

/// How writes to `table` are recorded. A table not named here is an object table named after
/// itself: nothing is left out by forgetting it.
pub(crate) fn audited(table: &str) -> Audited {
    let link = |parent, parent_type, field| Audited::Link {
        parent,
        parent_type,
        field,
    };
    Audited::Object(match table {
        "plans" => "Plan",
        "campaigns" => "Campaign",
        "actions" => "Action",
        "objectives" => "Objective",
        "personas" => "Persona",
        "content_items" => "ContentItem",
        "lever_allocations" => "LeverAllocation",
        "lever_interactions" => "LeverInteraction",
        "segments" => "Segment",
        "brands" => "Brand",
        "competitors" => "Competitor",
        "market_trends" => "MarketTrend",
        "pest_factors" => "PestFactor",
        "swot_items" => "SwotItem",
        "tenant_kpi_definitions" => "KpiDefinition",
        "comments" => "Comment",
        "share_links" => "ShareLink",
        "api_keys" => "ApiKey",
        "scenarios" => "Scenario",
        "plan_review_events" => "PlanReviewEvent",
        "campaign_personas" => return link("campaign_id", "Campaign", "personaIds"),
        "campaign_objectives" => return link("campaign_id", "Campaign", "objectiveIds"),
        "campaign_levers" => return link("campaign_id", "Campaign", "levers"),
        "plan_personas" => return link("plan_id", "Plan", "personaIds"),
        "persona_segments" => return link("segment_id", "Segment", "personaIds"),
        "marketing_mix_entries" => return link("plan_id", "Plan", "marketingMix"),
        "scenario_budgets" => return link("scenario_id", "Scenario", "budgets"),
        "measurements" | "touchpoints" | "conversions" | "exchange_rates" | "audit_events" => {
            return Audited::Batch;
        }
        // An endpoint's registration, changes and deletion are recorded (its secret columns
        // never are: `hidden`); the dispatcher's own writes to it (cursor, lease, failures) are
        // plain statements, not scoped writes, so delivering never becomes an event to deliver.
        "webhook_endpoints" => "WebhookEndpoint",
        // Never row by row: every delivery attempt would become an event to deliver.
        "webhook_deliveries" => {
            return Audited::Batch;
        }
        other => return Audited::Object(leak_type_name(other)),
    })
}

/// The type name of a table nobody listed: the table's own name (kept for the process's life,
/// once per table).
fn leak_type_name(table: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<BTreeMap<String, &'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    names
        .entry(table.to_owned())
        .or_insert_with(|| Box::leak(table.to_owned().into_boxed_str()))
}

/// `snake_case` → `camelCase`.
pub(crate) fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for character in name.chars() {
        if character == '_' {
            upper = true;
        } else if upper {
            out.extend(character.to_uppercase());
            upper = false;
        } else {
            out.push(character);
        }
    }
    out
}

/// Columns never copied into the trail: the tenant (every row has it) and secrets' hashes.
fn hidden(column: &str) -> bool {
    column == "tenant_id" || column.contains("hash") || column.contains("secret")
}

/// A column's value as JSON: times as RFC 3339, dates as `YYYY-MM-DD`, the rest as SeaQuery
/// converts them.
pub(crate) fn json_of(value: &Value) -> Json {
    match value {
        Value::ChronoDateTimeUtc(Some(time)) => Json::String(time.to_rfc3339()),
        Value::ChronoDateTimeWithTimeZone(Some(time)) => Json::String(time.to_rfc3339()),
        Value::ChronoDate(Some(date)) => Json::String(date.format("%Y-%m-%d").to_string()),
        Value::Bytes(Some(_)) => Json::String("(bytes)".into()),
        other => sea_orm::sea_query::value::sea_value_to_json_value(other),
    }
}

/// A model's fields as a JSON object with camelCase keys.
pub(crate) fn model_json<M: ModelTrait>(model: &M) -> Map<String, Json> {
    let mut object = Map::new();
    for column in <M::Entity as EntityTrait>::Column::iter() {
        let name = column.as_str();
        if !hidden(name) {
            object.insert(camel(name), json_of(&model.get(column)));
        }
    }
    object
}

/// The values set in an active model, as a JSON object with camelCase keys.
pub(crate) fn active_json<A: ActiveModelTrait>(row: &A) -> Map<String, Json> {
    let mut object = Map::new();
    for column in <A::Entity as EntityTrait>::Column::iter() {
        let name = column.as_str();
        if hidden(name) {
            continue;
        }
        if let Some(value) = row.get(column).into_value() {
            object.insert(camel(name), json_of(&value));
        }
    }
    object
}

/// The fields whose values differ, `version` and `updatedAt` (which every update changes) aside.
pub(crate) fn changed(before: &Map<String, Json>, after: &Map<String, Json>) -> Vec<String> {
    let mut names: Vec<String> = after
        .iter()
        .filter(|(name, value)| before.get(*name) != Some(*value))
        .map(|(name, _)| name.clone())
        .chain(
            before
                .keys()
                .filter(|name| !after.contains_key(*name))
                .cloned(),
        )
        .filter(|name| name != "version" && name != "updatedAt")
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A uuid-valued field of a JSON row.
pub(crate) fn uuid_field(row: &Map<String, Json>, field: &str) -> Option<Uuid> {
    row.get(field)?.as_str()?.parse().ok()
}

/// The entry of one object row: `before` and/or `after` as JSON rows.
pub(crate) fn object_entry(
    object_type: &str,
    before: Option<Map<String, Json>>,
    after: Option<Map<String, Json>>,
    action: Option<&str>,
) -> Option<Entry> {
    let row = after.as_ref().or(before.as_ref())?;
    let object_id = uuid_field(row, "id")?;
    let plan_id = if object_type == "Plan" {
        Some(object_id)
    } else {
        uuid_field(row, "planId")
    };
    let (action, changed_fields) = match (&before, &after) {
        (None, Some(after)) => (
            action.unwrap_or(CREATED),
            after
                .keys()
                .filter(|name| *name != "id" && *name != "version")
                .cloned()
                .collect(),
        ),
        (Some(before), None) => (action.unwrap_or(DELETED), before.keys().cloned().collect()),
        (Some(before), Some(after)) => {
            let changed_fields = changed(before, after);
            let action = match action {
                Some(action) => action,
                None if changed_fields.iter().any(|name| name == "status") => STATUS_CHANGED,
                None => UPDATED,
            };
            (action, changed_fields)
        }
        (None, None) => return None,
    };
    Some(Entry {
        action: action.to_owned(),
        object_type: object_type.to_owned(),
        object_id,
        plan_id,
        before: before.map(Json::Object),
        after: after.map(Json::Object),
        changed_fields,
        details: None,
    })
}

/// The entry of a change made by a plain statement rather than a scoped write (a tenant's
/// settings, an endpoint enabled again): the object as read before and after it.
pub fn update_entry<M: ModelTrait>(object_type: &str, before: &M, after: &M) -> Option<Entry> {
    object_entry(
        object_type,
        Some(model_json(before)),
        Some(model_json(after)),
        None,
    )
}

/// The entries of link rows added or removed (`key` is `"added"` or `"removed"`): one per
/// parent, naming the list that changed, with the members in `details`.
pub(crate) fn link_entries(
    parent: &str,
    parent_type: &str,
    field: &str,
    rows: Vec<Map<String, Json>>,
    key: &str,
) -> Vec<Entry> {
    let parent_key = camel(parent);
    let mut by_parent: BTreeMap<Uuid, Vec<Json>> = BTreeMap::new();
    for mut row in rows {
        let Some(parent_id) = uuid_field(&row, &parent_key) else {
            continue;
        };
        row.remove(&parent_key);
        by_parent
            .entry(parent_id)
            .or_default()
            .push(link_member(row));
    }
    by_parent
        .into_iter()
        .map(|(parent_id, members)| Entry {
            action: UPDATED.to_owned(),
            object_type: parent_type.to_owned(),
            object_id: parent_id,
            plan_id: (parent_type == "Plan").then_some(parent_id),
            before: None,
            after: None,
            changed_fields: vec![field.to_owned()],
            details: Some(serde_json::json!({ key: members })),
        })
        .collect()
}

/// A link row without its parent: its one remaining field's value (`personaId`), or the row.
pub(crate) fn link_member(mut row: Map<String, Json>) -> Json {
    row.remove("updatedAt");
    if row.len() == 1 {
        return row
            .into_iter()
            .next()
            .map_or(Json::Null, |(_, value)| value);
    }
    Json::Object(row)
}

/// `ARBITRAGE_APPLIED`: an arbitrage cancelled actions (the moves in `details`).
pub const ARBITRAGE_APPLIED: &str = "ARBITRAGE_APPLIED";
/// `MEASUREMENTS_RECORDED`: one `recordMeasurements` batch (its counts in `details`).
pub const MEASUREMENTS_RECORDED: &str = "MEASUREMENTS_RECORDED";
/// `SCENARIO_APPLIED`: a scenario's budgets were applied to its plan.
pub const SCENARIO_APPLIED: &str = "SCENARIO_APPLIED";

/// Which audit rows to list; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only the rows of this object.
    pub object_id: Option<Uuid>,
    /// Only the rows of this actor (its subject).
    pub actor: Option<String>,
    /// Only these actions.
    pub types: Vec<String>,
    /// Only rows that occurred at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Only rows that occurred before this instant.
    pub to: Option<DateTime<Utc>>,
}

fn filtered<C: ConnectionTrait>(
    scope: &super::Scoped<C>,
    filter: &AuditFilter,
) -> sea_orm::Select<audit_event::Entity> {
    let mut select = scope.select::<audit_event::Entity>();
    if let Some(object_id) = filter.object_id {
        select = select.filter(audit_event::Column::ObjectId.eq(object_id));
    }
    if let Some(actor) = &filter.actor {
        select = select.filter(audit_event::Column::ActorSubject.eq(actor.as_str()));
    }
    if !filter.types.is_empty() {
        select = select.filter(audit_event::Column::Action.is_in(filter.types.iter().cloned()));
    }
    if let Some(from) = filter.from {
        select = select.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(audit_event::Column::OccurredAt.lt(to));
    }
    select
}

/// One page of the tenant's audit rows matching `filter`, oldest first (ids are UUID v7).
pub async fn list<C: ConnectionTrait>(
    scope: &super::Scoped<C>,
    filter: &AuditFilter,
    request: &super::page::PageRequest,
) -> StoreResult<super::page::Page<audit_event::Model>> {
    super::page::fetch(scope, filtered(scope, filter), request).await
}

/// How many audit rows match `filter`.
pub async fn count<C: ConnectionTrait>(
    scope: &super::Scoped<C>,
    filter: &AuditFilter,
) -> StoreResult<u64> {
    super::page::count(scope, filtered(scope, filter)).await
}

/// One page of the history of each object of `objects`, oldest first, in one statement.
pub async fn history_by_object<C: ConnectionTrait>(
    scope: &super::Scoped<C>,
    objects: &[Uuid],
    request: &super::page::PageRequest,
) -> StoreResult<std::collections::HashMap<Uuid, super::page::Page<audit_event::Model>>> {
    super::page::fetch_by_parent::<audit_event::Entity, _>(
        scope,
        audit_event::Column::ObjectId,
        objects,
        request,
    )
    .await
}

/// How many audit rows each object of `objects` has, in one statement.
pub async fn history_counts<C: ConnectionTrait>(
    scope: &super::Scoped<C>,
    objects: &[Uuid],
) -> StoreResult<std::collections::HashMap<Uuid, u64>> {
    super::page::count_by_parent::<audit_event::Entity, _>(
        scope,
        audit_event::Column::ObjectId,
        objects,
    )
    .await
}
