//! The body of a delivery: one audit event as JSON,
//! `{id, type, occurredAt, tenant, object: {type, id}, actor, before, after, changedFields}`.

use entity::audit_event;
use serde_json::{Value, json};

use crate::ids::{self, NodeType};

/// An event's type as deliveries and subscriptions name it: `<ObjectType>.<ACTION>`, e.g.
/// `Campaign.UPDATED`.
pub fn event_type(event: &audit_event::Model) -> String {
    format!("{}.{}", event.object_type, event.action)
}

/// The global ID of the event's object when its type has one, else its UUID.
pub fn object_id(event: &audit_event::Model) -> String {
    match NodeType::by_name(&event.object_type) {
        Some(node_type) => ids::encode(node_type, event.object_id).to_string(),
        None => event.object_id.to_string(),
    }
}

/// The delivery body of `event`.
pub fn body(event: &audit_event::Model) -> Value {
    let or_null = |value: Result<Value, serde_json::Error>| value.unwrap_or(Value::Null);
    json!({
        "id": event.id.to_string(),
        "type": event_type(event),
        "occurredAt": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "tenant": ids::encode(NodeType::Tenant, event.tenant_id).to_string(),
        "object": {
            "type": event.object_type,
            "id": object_id(event),
        },
        "plan": event.plan_id.map(|plan| ids::encode(NodeType::Plan, plan).to_string()),
        "actor": {
            "subject": event.actor_subject,
            "kind": event.actor_kind,
            "role": event.actor_role,
            "agency": event.actor_agency,
        },
        "requestId": event.request_id,
        "before": or_null(serde_json::to_value(&event.before)),
        "after": or_null(serde_json::to_value(&event.after)),
        "changedFields": or_null(serde_json::to_value(&event.changed_fields)),
    })
}
