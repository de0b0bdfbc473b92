//! Opaque global IDs: the type name and the UUID, base64url-encoded, as the GraphQL API and the
//! plain-HTTP endpoints (the plan document, the CSV exports) show and accept them. Decoding an
//! ID of the wrong type, or one that is not ours at all, is `NOT_FOUND` (or, in a filter,
//! `BAD_USER_INPUT`), never a panic.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::ApiError;

/// The types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeType {
    /// A tenant.
    Tenant,
    /// A plan.
    Plan,
    /// A persona.
    Persona,
    /// A campaign.
    Campaign,
    /// An objective.
    Objective,
    /// A KPI definition.
    KpiDefinition,
    /// A market trend.
    MarketTrend,
    /// A competitor.
    Competitor,
    /// A SWOT item.
    SwotItem,
    /// A PEST factor.
    PestFactor,
    /// A plan's brand.
    Brand,
    /// A segment.
    Segment,
    /// A lever allocation of a plan.
    LeverAllocation,
    /// A lever interaction of a plan.
    LeverInteraction,
    /// An action.
    Action,
    /// A content item.
    ContentItem,
    /// An API key.
    ApiKey,
    /// A measurement.
    Measurement,
    /// A what-if scenario of a plan's budgets.
    Scenario,
    /// A comment.
    Comment,
    /// A step of a plan's review.
    PlanReviewEvent,
    /// A share link.
    ShareLink,
    /// A webhook endpoint.
    WebhookEndpoint,
    /// An attempt at a webhook delivery.
    WebhookDelivery,
}

impl NodeType {
    const ALL: &[Self] = &[
        Self::Tenant,
        Self::Plan,
        Self::Persona,
        Self::Campaign,
        Self::Objective,
        Self::KpiDefinition,
        Self::MarketTrend,
        Self::Competitor,
        Self::SwotItem,
        Self::PestFactor,
        Self::Brand,
        Self::Segment,
        Self::LeverAllocation,
        Self::LeverInteraction,
        Self::Action,
        Self::ContentItem,
        Self::ApiKey,
        Self::Measurement,
        Self::Scenario,
        Self::Comment,
        Self::PlanReviewEvent,
        Self::ShareLink,
        Self::WebhookEndpoint,
        Self::WebhookDelivery,
    ];

    /// The GraphQL type name of the node type.
    pub fn name(self) -> &'static str {
        match self {
            Self::Tenant => "Tenant",
            Self::Plan => "Plan",
            Self::Persona => "Persona",
            Self::Campaign => "Campaign",
            Self::Objective => "Objective",
            Self::KpiDefinition => "KpiDefinition",
            Self::MarketTrend => "MarketTrend",
            Self::Competitor => "Competitor",
            Self::SwotItem => "SwotItem",
            Self::PestFactor => "PestFactor",
            Self::Brand => "Brand",
            Self::Segment => "Segment",
            Self::LeverAllocation => "LeverAllocation",
            Self::LeverInteraction => "LeverInteraction",
            Self::Action => "Action",
            Self::ContentItem => "ContentItem",
            Self::ApiKey => "ApiKey",
            Self::Measurement => "Measurement",
            Self::Scenario => "Scenario",
            Self::Comment => "Comment",
            Self::PlanReviewEvent => "PlanReviewEvent",
            Self::ShareLink => "ShareLink",
            Self::WebhookEndpoint => "WebhookEndpoint",
            Self::WebhookDelivery => "WebhookDelivery",
        }
    }

    /// The node type whose GraphQL type is named `name`, if any.
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|candidate| candidate.name() == name)
    }
}

/// The global ID of an object.
pub fn encode(node_type: NodeType, id: Uuid) -> async_graphql::ID {
    async_graphql::ID(prefixed_base64(node_type.name(), id))
}

/// `prefix:<id in 32 hex digits>` in URL-safe base64 without padding: the text of global IDs
/// and cursors. Written into one buffer rather than formatted (a KPI series of 10 000 points
/// encodes as many IDs).
pub fn prefixed_base64(prefix: &str, id: Uuid) -> String {
    let mut plain = Vec::with_capacity(prefix.len() + 1 + uuid::fmt::Simple::LENGTH);
    plain.extend_from_slice(prefix.as_bytes());
    plain.push(b':');
    plain.extend_from_slice(
        id.simple()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    URL_SAFE_NO_PAD.encode(plain)
}

/// The type and UUID inside a global ID, if it is one.
pub fn decode(id: &str) -> Option<(NodeType, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (name, uuid) = text.split_once(':')?;
    let node_type = NodeType::ALL
        .iter()
        .copied()
        .find(|candidate| candidate.name() == name)?;
    Some((node_type, Uuid::parse_str(uuid).ok()?))
}

/// The UUID inside a global ID of the expected type, or `NOT_FOUND`.
pub fn decode_as(id: &str, expected: NodeType) -> Result<Uuid, ApiError> {
    match decode(id) {
        Some((node_type, uuid)) if node_type == expected => Ok(uuid),
        _ => Err(ApiError::not_found()),
    }
}

/// Decodes IDs that link to other objects. An ID that does not decode to the expected type
/// becomes the nil UUID, which no object has, so the domain reports it as not found at its index
/// like any other missing object.
pub fn decode_links(ids: &[async_graphql::ID], expected: NodeType) -> Vec<Uuid> {
    ids.iter().map(|id| decode_link(id, expected)).collect()
}

/// Decodes one ID that links to another object, as [`decode_links`] does: an ID that does not
/// decode to the expected type becomes the nil UUID, reported (or filtered) as not found.
pub fn decode_link(id: &str, expected: NodeType) -> Uuid {
    decode_as(id, expected).unwrap_or(Uuid::nil())
}

/// The UUIDs inside filter IDs of `node_type`; BAD_USER_INPUT names the first that is not one
/// (an ID of another tenant decodes, and simply matches nothing).
pub fn decode_filter_ids(
    field: &str,
    ids: &[impl AsRef<str>],
    node_type: NodeType,
) -> Result<Vec<Uuid>, ApiError> {
    ids.iter()
        .map(|id| {
            decode_as(id.as_ref(), node_type).map_err(|_| {
                ApiError::bad_input(format!(
                    "{field}: `{}` is not the ID of a {node_type:?}",
                    id.as_ref()
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_type() {
        let uuid = Uuid::now_v7();
        let id = encode(NodeType::Campaign, uuid);
        assert_eq!(decode(&id), Some((NodeType::Campaign, uuid)));
        assert_eq!(decode_as(&id, NodeType::Campaign), Ok(uuid));
        assert_eq!(decode_as(&id, NodeType::Plan), Err(ApiError::not_found()));
    }

    #[test]
    fn ids_keep_the_text_clients_already_hold() {
        // Global IDs are stored by clients: the encoding must never change.
        let uuid = Uuid::parse_str("0192f0c4-6f1e-7c3a-9d2b-5e4f3a2b1c0d").unwrap_or_default();
        for node_type in NodeType::ALL {
            assert_eq!(
                encode(*node_type, uuid).0,
                URL_SAFE_NO_PAD.encode(format!("{}:{}", node_type.name(), uuid.simple())),
            );
        }
        assert_eq!(
            prefixed_base64("Plan", uuid),
            "UGxhbjowMTkyZjBjNDZmMWU3YzNhOWQyYjVlNGYzYTJiMWMwZA"
        );
    }

    #[test]
    fn garbage_is_not_found() {
        for garbage in [
            "",
            "!!!",
            "UGxhbjo",
            "UGxhbjpub3QtYS11dWlk",
            &uuid::Uuid::nil().to_string(),
        ] {
            assert_eq!(
                decode_as(garbage, NodeType::Plan),
                Err(ApiError::not_found()),
                "{garbage}"
            );
        }
    }
}
