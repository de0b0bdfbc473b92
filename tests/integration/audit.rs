//! The audit trail: every change made through the API appends its entry, with its actor and
//! diff, in the same transaction.

use entity::audit_event;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{
    TestApp, create_campaign, create_persona, create_plan, error_code, mutate_ok, uuid_hex_of,
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

const EVENT_FIELDS: &str = "id occurredAt action objectType objectId planId \
                            actor { subject kind role agency } requestId before after \
                            changedFields details";

/// `auditEvents(filter: $filter)` as `token`: the whole body (for errors).
async fn audit_events(app: &TestApp, token: &str, filter: Value) -> Value {
    app.gql(
        token,
        &format!(
            "query($filter: AuditEventFilter) {{ auditEvents(filter: $filter, first: 100) {{
                totalCount nodes {{ {EVENT_FIELDS} }} }} }}"
        ),
        json!({ "filter": filter }),
    )
    .await
}

/// The entries `auditEvents(filter: $filter)` lists as `token`, which must be allowed.
async fn listed(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    let body = audit_events(app, token, filter).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["auditEvents"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn audit_events_filter_by_object_actor_type_and_time_for_admins_only() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let editor = app.token("acme", "editor");
    let started = chrono::Utc::now();
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &editor, &plan, "Spring", &[]).await;
    let payload = mutate_ok(
        &app,
        &editor,
        "updateCampaign",
        "userErrors { message }",
        json!({ "id": campaign, "expectedVersion": 1, "budget": "2500" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));

    let of_campaign = listed(&app, &admin, json!({ "objectId": campaign })).await;
    let actions: Vec<&str> = of_campaign
        .iter()
        .map(|event| event["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actions.first(), Some(&"CREATED"), "{actions:?}");
    assert_eq!(actions.last(), Some(&"UPDATED"), "{actions:?}");
    let update = of_campaign.last().unwrap();
    assert_eq!(update["objectId"], campaign.as_str());
    assert_eq!(update["planId"], plan.as_str());
    assert_eq!(update["objectType"], "Campaign");
    assert_eq!(
        update["actor"],
        json!({ "subject": "acme-editor-user", "kind": "USER", "role": "EDITOR", "agency": false })
    );
    assert_eq!(update["changedFields"], json!(["budgetMicros"]));
    assert_eq!(update["before"]["budgetMicros"], 1_000_000_000_i64);
    assert_eq!(update["after"]["budgetMicros"], 2_500_000_000_i64);
    assert!(
        update["requestId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // By actor: the plan was created by the admin, the campaign by the editor.
    let by_admin = listed(&app, &admin, json!({ "actor": "acme-admin-user" })).await;
    assert!(
        by_admin
            .iter()
            .all(|e| e["actor"]["subject"] == "acme-admin-user")
    );
    assert!(by_admin.iter().any(|e| e["objectId"] == plan.as_str()));
    assert!(!by_admin.iter().any(|e| e["objectId"] == campaign.as_str()));
    // By type.
    let updates = listed(&app, &admin, json!({ "types": ["UPDATED"] })).await;
    assert!(!updates.is_empty());
    assert!(updates.iter().all(|e| e["action"] == "UPDATED"));
    // By time: everything is after `started`, nothing before it.
    let before = listed(&app, &admin, json!({ "to": started.to_rfc3339() })).await;
    assert_eq!(before, Vec::<Value>::new());
    let after = listed(&app, &admin, json!({ "from": started.to_rfc3339() })).await;
    assert!(after.len() >= of_campaign.len());

    // The campaign's own history, through the DataLoader.
    let history = app
        .data(
            &admin,
            "query($id: ID!) { node(id: $id) { ... on Campaign { history { totalCount nodes { action } } } } }",
            json!({ "id": campaign }),
        )
        .await;
    assert_eq!(
        history["node"]["history"]["totalCount"],
        of_campaign.len() as i64,
        "{history}"
    );

    // Nobody else reads the trail.
    for token in [editor.clone(), app.token("acme", "viewer")] {
        let body = audit_events(&app, &token, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
        let body = app
            .gql(
                &token,
                "query($id: ID!) { node(id: $id) { ... on Campaign { history { totalCount } } } }",
                json!({ "id": campaign }),
            )
            .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }
    // No mutation edits or deletes entries.
    let schema = app
        .data(
            &admin,
            "{ __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
        )
        .await;
    let names = schema["__type"]["fields"].to_string().to_lowercase();
    assert!(!names.contains("audit"), "{names}");
}

#[tokio::test]
async fn a_second_tenant_sees_nothing_of_the_first_ones_trail() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let plan = create_plan(&app, &acme, "Plan 2027").await;
    let campaign = create_campaign(&app, &acme, &plan, "Spring", &[]).await;
    create_plan(&app, &globex, "Globex plan").await;

    let all = listed(&app, &globex, json!({})).await;
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|e| e["actor"]["subject"] == "globex-admin-user")
    );
    for id in [&plan, &campaign] {
        assert_eq!(
            listed(&app, &globex, json!({ "objectId": id })).await,
            Vec::<Value>::new()
        );
        let node = app
            .data(
                &globex,
                "query($id: ID!) { node(id: $id) { ... on Campaign { history { totalCount } } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(node["node"], Value::Null);
    }
    assert_eq!(
        listed(&app, &globex, json!({ "actor": "acme-admin-user" })).await,
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn an_api_key_batch_is_one_entry_and_a_refused_batch_writes_none() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "createApiKey",
        "apiKey { prefix } secret",
        json!({ "name": "ingest", "scopes": ["WRITE_MEASUREMENTS"] }),
    )
    .await;
    let secret = payload["secret"].as_str().unwrap().to_owned();
    let prefix = payload["apiKey"]["prefix"].as_str().unwrap().to_owned();
    let rows = json!([
        { "kpiKey": "clicks", "date": "2027-03-01", "value": "10", "source": "ads", "externalId": "a" },
        { "kpiKey": "clicks", "date": "2027-03-02", "value": "12", "source": "ads", "externalId": "b" }
    ]);
    let recorded = crate::support::record_measurements(&app, &secret, rows).await;
    assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
    let again = json!([
        { "kpiKey": "clicks", "date": "2027-03-01", "value": "11", "source": "ads", "externalId": "a" },
        { "kpiKey": "clicks", "date": "2027-03-03", "value": "9", "source": "ads", "externalId": "c" }
    ]);
    crate::support::record_measurements(&app, &secret, again).await;

    let batches = listed(&app, &admin, json!({ "types": ["MEASUREMENTS_RECORDED"] })).await;
    assert_eq!(batches.len(), 2, "{batches:?}");
    assert_eq!(
        batches[0]["details"],
        json!({ "inserted": 2, "updated": 0 })
    );
    assert_eq!(
        batches[1]["details"],
        json!({ "inserted": 1, "updated": 1 })
    );
    assert_eq!(
        batches[0]["actor"],
        json!({ "subject": format!("apikey:{prefix}"), "kind": "API_KEY", "role": null, "agency": false })
    );

    // A batch with a bad row writes nothing, its audit entry included.
    let before = listed(&app, &admin, json!({})).await.len();
    let refused = json!([
        { "kpiKey": "clicks", "date": "2027-03-04", "value": "1", "source": "ads" },
        { "kpiKey": "no_such_kpi", "date": "2027-03-04", "value": "1", "source": "ads" }
    ]);
    let payload = crate::support::record_measurements(&app, &secret, refused).await;
    assert_ne!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(listed(&app, &admin, json!({})).await.len(), before);
}

#[tokio::test]
async fn an_agency_token_is_recorded_as_such_and_deletions_keep_a_tombstone() {
    let app = TestApp::spawn().await;
    let agency = app.agency_token(&[("acme", "admin")]);
    let plan = create_plan(&app, &agency, "Agency plan").await;
    let payload = mutate_ok(
        &app,
        &agency,
        "deletePlan",
        "deletedId",
        json!({ "id": plan }),
    )
    .await;
    assert_eq!(payload["deletedId"], plan.as_str(), "{payload}");

    let entries = listed(&app, &agency, json!({ "objectId": plan })).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["CREATED", "DELETED"]);
    for entry in &entries {
        assert_eq!(entry["actor"]["agency"], true);
        assert_eq!(entry["actor"]["role"], "ADMIN");
    }
    assert_eq!(entries[1]["after"], Value::Null);
    assert_eq!(entries[1]["before"]["name"], "Agency plan");
}

#[tokio::test]
async fn the_retention_purge_deletes_only_older_entries() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    create_plan(&app, &admin, "Plan 2027").await;
    let count = || async { listed(&app, &admin, json!({})).await.len() };
    let written = count().await;
    assert!(written > 0);
    let past = chrono::Utc::now() - chrono::TimeDelta::days(1);
    let purged = levier::store::audit::purge_older_than(app.app.database(), past)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(purged, 0);
    assert_eq!(count().await, written);
    let future = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let purged = levier::store::audit::purge_older_than(app.app.database(), future)
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(purged as usize, written);
    assert_eq!(count().await, 0);
}

/// The operations of the README's "Audit trail" section, as written there.
fn readme_operations() -> String {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## Audit trail\n")
        .nth(1)
        .expect("README has an \"Audit trail\" section");
    section
        .split("```graphql\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a graphql block")
        .to_owned()
}

#[tokio::test]
async fn the_readme_examples_run_as_written() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let run = |operation: &'static str, variables: Value| {
        let (app, admin) = (&app, &admin);
        async move {
            let body = app
                .post(
                    Some(admin),
                    &[],
                    &json!({ "query": readme_operations(), "operationName": operation,
                             "variables": variables }),
                )
                .await
                .1;
            assert!(body.get("errors").is_none(), "{operation}: {body}");
            body["data"].clone()
        }
    };
    let trail = run("AuditTrail", json!({ "plan": plan })).await;
    assert_eq!(trail["auditEvents"]["totalCount"], 1, "{trail}");
    assert_eq!(trail["auditEvents"]["nodes"][0]["action"], "CREATED");
    assert_eq!(
        trail["auditEvents"]["nodes"][0]["after"]["name"],
        "Plan 2027"
    );
    let history = run("CampaignHistory", json!({ "campaign": campaign })).await;
    let nodes = &history["node"]["history"]["nodes"];
    assert_eq!(nodes[0]["action"], "CREATED", "{history}");
    assert_eq!(nodes[0]["actor"]["role"], "ADMIN");
}

/// The tenant's settings are not written through scoped writes; `updateTenant` still records
/// its change, with the fields that changed.
#[tokio::test]
async fn a_tenant_settings_change_is_recorded() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let tenant = app
        .data(&admin, "{ viewer { tenant { version } } }", json!({}))
        .await["viewer"]["tenant"]
        .clone();
    let updated = mutate_ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { currency version } userErrors { field code }",
        json!({ "expectedVersion": tenant["version"], "currency": "USD" }),
    )
    .await;
    assert_eq!(updated["userErrors"], json!([]), "{updated}");
    let entries = app
        .data(
            &admin,
            "{ auditEvents(filter: { types: [UPDATED] }) { nodes { objectType changedFields before after actor { subject role } } } }",
            json!({}),
        )
        .await["auditEvents"]["nodes"]
        .clone();
    let entries: Vec<&Value> = entries
        .as_array()
        .expect("a list")
        .iter()
        .filter(|entry| entry["objectType"] == "Tenant")
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["changedFields"], json!(["currency"]));
    assert_eq!(entries[0]["before"]["currency"], "EUR");
    assert_eq!(entries[0]["after"]["currency"], "USD");
    assert_eq!(entries[0]["actor"]["role"], "ADMIN");
    // A refused change (a stale version) records nothing.
    let stale = app
        .post(
            Some(&admin),
            &[],
            &json!({ "query": "mutation($v: Int!) { updateTenant(input: { expectedVersion: $v, currency: \"JPY\" }) { userErrors { code } } }",
                     "variables": { "v": tenant["version"] } }),
        )
        .await
        .1;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let count = audit_event::Entity::find()
        .filter(audit_event::Column::ObjectType.eq("Tenant"))
        .all(app.app.database())
        .await
        .expect("the audit rows")
        .len();
    assert_eq!(count, 1);
}
