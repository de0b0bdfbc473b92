//! The audit trail: every change made through the API appends its entry, with its actor and
//! diff, in the same transaction.

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::support::{
    TestApp, create_campaign, create_persona, create_plan, mutate_ok, uuid_hex_of,
};

/// The audit rows of one object, in insertion order, read straight from the table.
async fn rows_of(app: &TestApp, global_id: &str) -> Vec<audit_event::Model> {
    let id: Uuid = uuid_hex_of(global_id).parse().expect("a uuid");
    audit_event::Entity::find()
        .filter(audit_event::Column::ObjectId.eq(id))
        .order_by_asc(audit_event::Column::Seq)
        .all(app.app.database())
        .await
        .unwrap_or_else(|error| panic!("{error}"))
}

fn changed(row: &audit_event::Model) -> Vec<String> {
    serde_json::from_value(row.changed_fields.clone()).expect("an array of names")
}

#[tokio::test]
async fn the_scope_records_creations_updates_link_changes_and_deletions() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let campaign = create_campaign(&app, &token, &plan, "Spring", &[&sophie]).await;

    let payload = mutate_ok(
        &app,
        &token,
        "updateCampaign",
        "campaign { version } userErrors { message }",
        json!({ "id": campaign, "expectedVersion": 1, "name": "Summer", "status": "ACTIVE",
                "personaIds": [marc] }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let payload = mutate_ok(
        &app,
        &token,
        "deleteCampaign",
        "deletedId",
        json!({ "id": campaign }),
    )
    .await;
    assert_eq!(payload["deletedId"], campaign.as_str(), "{payload}");

    let rows = rows_of(&app, &campaign).await;
    let actions: Vec<&str> = rows.iter().map(|row| row.action.as_str()).collect();
    assert!(actions.contains(&"CREATED"), "{actions:?}");
    assert!(actions.contains(&"STATUS_CHANGED"), "{actions:?}");
    assert_eq!(actions.last(), Some(&"DELETED"), "{actions:?}");
    for row in &rows {
        assert_eq!(row.actor_subject, "acme-admin-user");
        assert_eq!(row.actor_kind, "USER");
        assert_eq!(row.actor_role.as_deref(), Some("ADMIN"));
        assert!(!row.actor_agency);
        assert!(row.request_id.is_some(), "{row:?}");
        assert_eq!(row.object_type, "Campaign");
        if changed(row) == ["personaIds"] || changed(row) == ["levers"] {
            // A link change is recorded on the campaign, without its plan.
            continue;
        }
        assert_eq!(
            row.plan_id.map(|id| id.simple().to_string()),
            Some(uuid_hex_of(&plan))
        );
    }
    let status = rows
        .iter()
        .find(|row| row.action == "STATUS_CHANGED")
        .expect("the update");
    let fields = changed(status);
    assert!(fields.contains(&"name".to_owned()), "{fields:?}");
    assert!(fields.contains(&"status".to_owned()), "{fields:?}");
    assert!(!fields.contains(&"version".to_owned()), "{fields:?}");
    let (before, after) = (
        status.before.clone().unwrap(),
        status.after.clone().unwrap(),
    );
    assert_eq!(before["name"], "Spring");
    assert_eq!(after["name"], "Summer");
    assert_eq!(after["status"], "ACTIVE");
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    let personas = rows
        .iter()
        .rfind(|row| changed(row) == ["personaIds"])
        .expect("the persona links recorded on the campaign");
    assert_eq!(
        personas.after.as_ref().unwrap()["personaIds"][0]
            .as_str()
            .map(|id| id.replace('-', "")),
        Some(uuid_hex_of(&marc))
    );
    let deleted = rows.last().unwrap();
    assert!(deleted.after.is_none());
    assert_eq!(deleted.before.as_ref().unwrap()["name"], "Summer");
}
