//! `Change` and `ChangeFeed`: a page of the change feed (`changes`), for incremental sync.

use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use entity::audit_event;

use crate::{
    error::ApiError,
    graphql::{node::Node, scalars::DateTime},
    ids::{self, NodeType},
    store::change_feed::Position,
};

/// The kinds of object the change feed reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ChangeObjectType {
    /// A plan.
    Plan,
    /// A persona.
    Persona,
    /// A campaign.
    Campaign,
    /// An objective.
    Objective,
    /// An action.
    Action,
    /// A content item.
    ContentItem,
    /// A lever allocation.
    LeverAllocation,
    /// A lever interaction.
    LeverInteraction,
    /// A market trend.
    MarketTrend,
    /// A competitor.
    Competitor,
    /// A SWOT item.
    SwotItem,
    /// A PEST factor.
    PestFactor,
    /// A plan's brand platform.
    Brand,
    /// A market segment.
    Segment,
    /// A what-if scenario.
    Scenario,
    /// A comment.
    Comment,
    /// A tenant's own KPI definition.
    KpiDefinition,
}

impl ChangeObjectType {
    /// Every kind, in declaration order.
    pub const ALL: &[Self] = &[
        Self::Plan,
        Self::Persona,
        Self::Campaign,
        Self::Objective,
        Self::Action,
        Self::ContentItem,
        Self::LeverAllocation,
        Self::LeverInteraction,
        Self::MarketTrend,
        Self::Competitor,
        Self::SwotItem,
        Self::PestFactor,
        Self::Brand,
        Self::Segment,
        Self::Scenario,
        Self::Comment,
        Self::KpiDefinition,
    ];

    /// The node type (and GraphQL type name) of objects of this kind.
    pub fn node_type(self) -> NodeType {
        match self {
            Self::Plan => NodeType::Plan,
            Self::Persona => NodeType::Persona,
            Self::Campaign => NodeType::Campaign,
            Self::Objective => NodeType::Objective,
            Self::Action => NodeType::Action,
            Self::ContentItem => NodeType::ContentItem,
            Self::LeverAllocation => NodeType::LeverAllocation,
            Self::LeverInteraction => NodeType::LeverInteraction,
            Self::MarketTrend => NodeType::MarketTrend,
            Self::Competitor => NodeType::Competitor,
            Self::SwotItem => NodeType::SwotItem,
            Self::PestFactor => NodeType::PestFactor,
            Self::Brand => NodeType::Brand,
            Self::Segment => NodeType::Segment,
            Self::Scenario => NodeType::Scenario,
            Self::Comment => NodeType::Comment,
            Self::KpiDefinition => NodeType::KpiDefinition,
        }
    }

    /// The object type's name as the audit table records it.
    pub fn name(self) -> &'static str {
        self.node_type().name()
    }

    /// The kind whose audit name is `name`, if the feed reports it.
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }
}

/// What happened to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ChangeAction {
    /// Created or changed: `object` is its current state.
    Upserted,
    /// Deleted: a tombstone, `object` is null.
    Deleted,
}

/// The opaque cursor of a feed position.
pub fn encode_cursor(position: Position) -> String {
    URL_SAFE_NO_PAD.encode(format!("feed:{}:{}", position.txid, position.seq))
}

/// The position of a cursor; BAD_USER_INPUT when it is not one of ours.
pub fn decode_cursor(cursor: &str) -> Result<Position, ApiError> {
    let invalid = || ApiError::bad_input("after: not a cursor of the change feed");
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| invalid())?;
    let text = std::str::from_utf8(&bytes).map_err(|_| invalid())?;
    let rest = text.strip_prefix("feed:").ok_or_else(invalid)?;
    let (txid, seq) = rest.split_once(':').ok_or_else(invalid)?;
    let txid: i64 = txid.parse().map_err(|_| invalid())?;
    let seq: i64 = seq.parse().map_err(|_| invalid())?;
    if txid < 0 || seq < 0 {
        return Err(invalid());
    }
    Ok(Position { txid, seq })
}

/// One change of the feed: an object written or deleted by one committed transaction.
#[derive(Debug, Clone)]
pub struct Change(pub audit_event::Model);

/// One change of the feed: an object written or deleted by one committed transaction.
#[Object]
impl Change {
    /// The change's id (the audit event's; webhook deliveries of it carry the same id).
    async fn id(&self) -> String {
        self.0.id.to_string()
    }

    /// The cursor just after this change: pass it as `after` to resume here.
    async fn cursor(&self) -> String {
        encode_cursor(Position::of(&self.0))
    }

    /// The kind of object changed.
    async fn object_type(&self) -> Option<ChangeObjectType> {
        ChangeObjectType::by_name(&self.0.object_type)
    }

    /// The global ID of the object changed (still valid for a deleted one, to delete the
    /// copy).
    async fn object_id(&self) -> ID {
        match NodeType::by_name(&self.0.object_type) {
            Some(node_type) => ids::encode(node_type, self.0.object_id),
            None => ID(self.0.object_id.to_string()),
        }
    }

    /// Written (created or changed) or deleted.
    async fn action(&self) -> ChangeAction {
        if self.0.action == "DELETED" {
            ChangeAction::Deleted
        } else {
            ChangeAction::Upserted
        }
    }

    /// The action as the audit log names it (`CREATED`, `UPDATED`, `STATUS_CHANGED`, …).
    async fn audit_action(&self) -> &str {
        &self.0.action
    }

    /// When the change was made.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }

    /// The object as it is now, loaded with the page's other objects (one statement per
    /// type); null for a tombstone, and for an object deleted since (a later change of the
    /// feed says so).
    async fn object(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        if self.0.action == "DELETED" {
            return Ok(None);
        }
        let Some(node_type) = NodeType::by_name(&self.0.object_type) else {
            return Ok(None);
        };
        let id = ids::encode(node_type, self.0.object_id);
        Ok(
            crate::graphql::node::resolve_many(ctx, std::slice::from_ref(&id))
                .await?
                .into_iter()
                .next()
                .flatten(),
        )
    }
}

/// A page of the change feed.
#[derive(Debug, Clone, SimpleObject)]
pub struct ChangeFeed {
    /// The changes, in commit order.
    pub changes: Vec<Change>,
    /// Where to resume: the cursor after the last change of this page, or the cursor given
    /// when the page is empty. Always set, so a poller can keep it.
    pub end_cursor: String,
    /// More changes already wait after `endCursor`: ask again at once.
    pub has_more: bool,
}
