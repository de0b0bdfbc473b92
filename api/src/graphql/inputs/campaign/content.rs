//! Inputs of content-plan mutations, and the filter of content lists.

use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{
    action_enums::{ContentStatus, FunnelStage},
    enums::Lever,
};
use uuid::Uuid;

use crate::domain::external_ref::RawExternalRef;
use crate::graphql::inputs::external_ref::ExternalRefInput;
use crate::graphql::inputs::plan::maybe;
use crate::{
    domain::campaign::content::{ContentChanges, NewContentItem},
    graphql::scalars::Date,
    ids::{self, NodeType},
    store::campaign::content as store_content,
};

/// A new content item of a plan's content plan.
#[derive(Debug, InputObject)]
pub struct CreateContentItemInput {
    /// Global ID of the plan it belongs to.
    pub plan_id: ID,
    /// The content item's fields.
    #[graphql(flatten)]
    pub fields: ContentItemFields,
    /// Its reference in the system it is synced from, unique among the tenant's content items
    /// (DUPLICATE otherwise).
    pub external_ref: Option<ExternalRefInput>,
}

impl CreateContentItemInput {
    /// The domain input, for the plan `plan_id` (decoded by the resolver).
    pub fn into_new(self, plan_id: Uuid) -> NewContentItem {
        self.fields
            .into_new(plan_id, self.external_ref.map(RawExternalRef::from))
    }
}

/// Creates or changes the content item with an external reference, in the plan named by `planId` or
/// by `planRef` (exactly one): the create's fields, as a whole document. On an update every
/// field is set as the create would set it (an optional field left out is cleared), except a
/// status or an actual cost left out, which are kept; the plan cannot change (INVALID).
/// Sending the same document again changes nothing (UNCHANGED).
#[derive(Debug, InputObject)]
pub struct UpsertContentItemInput {
    /// The content item's reference in the system it is synced from: the key of the upsert.
    pub external_ref: ExternalRefInput,
    /// The version read, if the content item was read; refused with CONFLICT when it changed since
    /// (or no longer has this reference).
    pub expected_version: Option<i32>,
    /// Global ID of the plan it belongs to (or give `planRef`).
    pub plan_id: Option<ID>,
    /// External reference of the plan it belongs to (or give `planId`).
    pub plan_ref: Option<ExternalRefInput>,
    /// The content item's fields.
    #[graphql(flatten)]
    pub fields: ContentItemFields,
}

/// The fields of a content item, as a create or an upsert gives them.
#[derive(Debug, InputObject)]
pub struct ContentItemFields {
    /// Global ID of the persona it speaks to (a persona of the tenant).
    pub persona_id: ID,
    /// The lever that carries it.
    pub lever: Lever,
    /// The funnel stage it serves.
    pub funnel_stage: FunnelStage,
    /// The message (required, at most 10 000 characters).
    pub message: String,
    /// The format, free text such as "blog post" or "reel" (1 to 200 characters).
    pub format: String,
    /// The call to action (at most 200 characters).
    pub call_to_action: Option<String>,
    /// Publish day, inside the plan's period.
    pub publish_date: Date,
    /// Initial status; IDEA when omitted.
    pub status: Option<ContentStatus>,
    /// Global ID of the action it belongs to, an action of the same plan.
    pub action_id: Option<ID>,
}

impl ContentItemFields {
    /// The domain input, for the plan `plan_id` (decoded by the resolver), with its reference.
    pub fn into_new(self, plan_id: Uuid, external_ref: Option<RawExternalRef>) -> NewContentItem {
        NewContentItem {
            plan_id,
            external_ref,
            persona_id: ids::decode_link(&self.persona_id, NodeType::Persona),
            lever: self.lever,
            funnel_stage: self.funnel_stage,
            message: self.message,
            format: self.format,
            call_to_action: self.call_to_action,
            publish_date: self.publish_date.0,
            status: self.status,
            action_id: self
                .action_id
                .map(|id| ids::decode_link(&id, NodeType::Action)),
        }
    }
}

/// Changes to a content item; omitted fields stay as they are, null clears an optional one.
#[derive(Debug, InputObject)]
pub struct UpdateContentItemInput {
    /// The content item's global ID.
    pub id: ID,
    /// The version read; the update is refused with CONFLICT if the item changed since.
    pub expected_version: i32,
    /// New persona.
    pub persona_id: Option<ID>,
    /// New lever.
    pub lever: Option<Lever>,
    /// New funnel stage.
    pub funnel_stage: Option<FunnelStage>,
    /// New message.
    pub message: Option<String>,
    /// New format.
    pub format: Option<String>,
    /// New call to action; null clears it.
    pub call_to_action: MaybeUndefined<String>,
    /// New publish day.
    pub publish_date: Option<Date>,
    /// New status.
    pub status: Option<ContentStatus>,
    /// New action (of the same plan); null detaches the item from its action.
    pub action_id: MaybeUndefined<ID>,
    /// New external reference (unique among the tenant's content items); null removes it.
    pub external_ref: MaybeUndefined<ExternalRefInput>,
}

impl From<UpdateContentItemInput> for ContentChanges {
    fn from(input: UpdateContentItemInput) -> Self {
        Self {
            external_ref: maybe(input.external_ref).map(|r| r.map(RawExternalRef::from)),
            persona_id: input
                .persona_id
                .map(|id| ids::decode_link(&id, NodeType::Persona)),
            lever: input.lever,
            funnel_stage: input.funnel_stage,
            message: input.message,
            format: input.format,
            call_to_action: maybe(input.call_to_action),
            publish_date: input.publish_date.map(|d| d.0),
            status: input.status,
            action_id: maybe(input.action_id)
                .map(|id| id.map(|id| ids::decode_link(&id, NodeType::Action))),
        }
    }
}

/// The content item to delete.
#[derive(Debug, InputObject)]
pub struct DeleteContentItemInput {
    /// The content item's global ID.
    pub id: ID,
}

/// A range of days, both included.
#[derive(Debug, Clone, Copy, InputObject)]
pub struct PublishDateRange {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// Filters of a content list; all given conditions must hold. An omitted list matches any
/// value, an empty list matches none.
#[derive(Debug, Default, InputObject)]
pub struct ContentItemFilter {
    /// Only content for this persona.
    pub persona_id: Option<ID>,
    /// Only content carried by one of these levers.
    pub levers: Option<Vec<Lever>>,
    /// Only content serving one of these funnel stages.
    pub stages: Option<Vec<FunnelStage>>,
    /// Only content in one of these statuses.
    pub statuses: Option<Vec<ContentStatus>>,
    /// Only content whose publish date lies in this range.
    pub published_between: Option<PublishDateRange>,
    /// Only the one with this external reference.
    pub external_ref: Option<ExternalRefInput>,
}

impl From<ContentItemFilter> for store_content::ContentFilter {
    fn from(filter: ContentItemFilter) -> Self {
        Self {
            persona_id: filter
                .persona_id
                .map(|id| ids::decode_link(&id, NodeType::Persona)),
            levers: filter.levers,
            stages: filter.stages,
            statuses: filter.statuses,
            published_between: filter
                .published_between
                .map(|range| (range.from.0, range.to.0)),
            external_ref: filter.external_ref.map(|r| (r.source, r.id)),
        }
    }
}
