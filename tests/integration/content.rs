//! The content plan: every field round-trips, versioned updates, deletes, the validation rules
//! with nothing written, roles, tenancy, the filters and the publish-date order with paging.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::{
    TestApp, content_input, create_action, create_content, create_persona, create_plan, error_code,
    mutate, mutate_ok, node, user_errors, uuid_hex_of,
};

const CONTENT_FIELDS: &str = "id lever funnelStage message format callToAction publishDate \
    status version createdAt updatedAt plan { id } persona { id name } action { id title }";

fn payload_selection() -> String {
    format!("contentItem {{ {CONTENT_FIELDS} }} userErrors {{ field message code }}")
}

async fn read_content(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on ContentItem {{ {CONTENT_FIELDS} }}"),
    )
    .await
}

async fn content_count(app: &TestApp, token: &str, plan: &str) -> i64 {
    app.data(
        token,
        "query($id: ID!) { plan(id: $id) { contentItems { totalCount } } }",
        json!({ "id": plan }),
    )
    .await["plan"]["contentItems"]["totalCount"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_content_item_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let sophie = create_persona(&app, &token, "Sophie").await;
    let action = create_action(&app, &token, &plan, json!({ "title": "Spring guide" })).await;
    let payload = mutate_ok(
        &app,
        &token,
        "createContentItem",
        &payload_selection(),
        json!({ "planId": plan, "personaId": sophie, "lever": "CONTENT", "funnelStage": "CONVERT",
                "message": " 5 ways to plan your spring ", "format": "blog post",
                "callToAction": "Download the guide", "publishDate": "2027-03-20",
                "status": "SCHEDULED", "actionId": action }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let id = payload["contentItem"]["id"].as_str().unwrap();
    let item = read_content(&app, &token, id).await;
    assert_eq!(item, payload["contentItem"]);
    assert_eq!(item["lever"], "CONTENT");
    assert_eq!(item["funnelStage"], "CONVERT");
    assert_eq!(item["message"], "5 ways to plan your spring");
    assert_eq!(item["format"], "blog post");
    assert_eq!(item["callToAction"], "Download the guide");
    assert_eq!(item["publishDate"], "2027-03-20");
    assert_eq!(item["status"], "SCHEDULED");
    assert_eq!(item["version"], 1);
    assert_eq!(item["plan"]["id"], plan.as_str());
    assert_eq!(item["persona"], json!({ "id": sophie, "name": "Sophie" }));
    assert_eq!(
        item["action"],
        json!({ "id": action, "title": "Spring guide" })
    );

    let bare = create_content(&app, &token, &plan, &sophie, json!({})).await;
    let bare = read_content(&app, &token, &bare).await;
    assert_eq!(bare["status"], "IDEA", "the default status");
    assert_eq!(bare["action"], Value::Null);
    assert_eq!(bare["callToAction"], Value::Null);
}

#[tokio::test]
async fn updates_need_the_current_version_and_can_clear_links() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let action = create_action(&app, &token, &plan, json!({})).await;
    let id = create_content(
        &app,
        &token,
        &plan,
        &sophie,
        json!({ "actionId": action, "callToAction": "Buy" }),
    )
    .await;
    let payload = mutate_ok(
        &app,
        &token,
        "updateContentItem",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "personaId": marc, "status": "PUBLISHED",
                "publishDate": "2027-11-30", "lever": "SOCIAL_ADS", "funnelStage": "CLOSE",
                "actionId": null, "callToAction": null, "format": "carousel" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let item = read_content(&app, &token, &id).await;
    assert_eq!(item, payload["contentItem"]);
    assert_eq!(item["version"], 2);
    assert_eq!(item["persona"]["name"], "Marc");
    assert_eq!(item["status"], "PUBLISHED");
    assert_eq!(item["publishDate"], "2027-11-30");
    assert_eq!(item["lever"], "SOCIAL_ADS");
    assert_eq!(item["funnelStage"], "CLOSE");
    assert_eq!(item["format"], "carousel");
    assert_eq!(item["action"], Value::Null);
    assert_eq!(item["callToAction"], Value::Null);
    assert_eq!(item["message"], "Spring is here", "omitted fields stay");

    let stale = mutate(
        &app,
        &token,
        "updateContentItem",
        "contentItem { id }",
        json!({ "id": id, "expectedVersion": 1, "message": "Lost" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert_eq!(read_content(&app, &token, &id).await, item);
}

#[tokio::test]
async fn invalid_content_is_refused_field_by_field_with_nothing_written() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Plan B").await;
    let sophie = create_persona(&app, &token, "Sophie").await;
    let foreign_action = create_action(&app, &token, &other_plan, json!({})).await;

    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({ "message": "   " }), vec!["input.message: REQUIRED"]),
        (
            json!({ "message": "m".repeat(10_001) }),
            vec!["input.message: TOO_LONG"],
        ),
        (json!({ "format": "" }), vec!["input.format: REQUIRED"]),
        (
            json!({ "callToAction": "c".repeat(201) }),
            vec!["input.callToAction: TOO_LONG"],
        ),
        (
            json!({ "publishDate": "2028-01-01" }),
            vec!["input.publishDate: OUTSIDE_PLAN_PERIOD"],
        ),
        (
            json!({ "personaId": plan }),
            vec!["input.personaId: NOT_FOUND"],
        ),
        (
            json!({ "actionId": foreign_action }),
            vec!["input.actionId: INVALID"],
        ),
        (
            json!({ "actionId": sophie }),
            vec!["input.actionId: NOT_FOUND"],
        ),
        (
            json!({ "message": "", "format": "", "publishDate": "2026-01-01" }),
            vec![
                "input.message: REQUIRED",
                "input.format: REQUIRED",
                "input.publishDate: OUTSIDE_PLAN_PERIOD",
            ],
        ),
    ];
    for (overrides, expected) in cases {
        let payload = mutate_ok(
            &app,
            &token,
            "createContentItem",
            &payload_selection(),
            content_input(&plan, &sophie, overrides.clone()),
        )
        .await;
        assert_eq!(payload["contentItem"], Value::Null, "{payload}");
        assert_eq!(user_errors(&payload), expected, "{overrides}");
        assert_eq!(content_count(&app, &token, &plan).await, 0, "{overrides}");
    }

    let id = create_content(&app, &token, &plan, &sophie, json!({})).await;
    let before = read_content(&app, &token, &id).await;
    let payload = mutate_ok(
        &app,
        &token,
        "updateContentItem",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "status": "DRAFT", "publishDate": "2026-06-01",
                "actionId": foreign_action }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.publishDate: OUTSIDE_PLAN_PERIOD",
            "input.actionId: INVALID",
        ]
    );
    assert_eq!(read_content(&app, &token, &id).await, before);

    let body = mutate(
        &app,
        &token,
        "createContentItem",
        "contentItem { id }",
        content_input(&sophie, &sophie, json!({})),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

#[tokio::test]
async fn viewers_cannot_write_editors_cannot_delete_admins_can() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let sophie = create_persona(&app, &editor, "Sophie").await;
    let id = create_content(&app, &editor, &plan, &sophie, json!({})).await;

    let body = mutate(
        &app,
        &viewer,
        "createContentItem",
        "contentItem { id }",
        content_input(&plan, &sophie, json!({})),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &viewer,
        "updateContentItem",
        "contentItem { id }",
        json!({ "id": id, "expectedVersion": 1, "status": "DRAFT" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &editor,
        "deleteContentItem",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(content_count(&app, &viewer, &plan).await, 1);

    let payload = mutate_ok(
        &app,
        &admin,
        "deleteContentItem",
        "deletedId userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(payload["deletedId"], id.as_str());
    assert_eq!(node(&app, &admin, &id, "id").await, Value::Null);
    assert_eq!(content_count(&app, &admin, &plan).await, 0);

    // Deleting a persona deletes the content written for it.
    let other = create_content(&app, &editor, &plan, &sophie, json!({})).await;
    mutate_ok(
        &app,
        &admin,
        "deletePersona",
        "deletedId",
        json!({ "id": sophie }),
    )
    .await;
    assert_eq!(node(&app, &admin, &other, "id").await, Value::Null);
}

#[tokio::test]
async fn another_tenants_content_does_not_exist() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let plan = create_plan(&app, &acme, "Acme plan").await;
    let sophie = create_persona(&app, &acme, "Sophie").await;
    let action = create_action(&app, &acme, &plan, json!({})).await;
    let id = create_content(&app, &acme, &plan, &sophie, json!({ "actionId": action })).await;
    let before = read_content(&app, &acme, &id).await;

    let globex = app.token("globex", "admin");
    let globex_plan = create_plan(&app, &globex, "Globex plan").await;
    let globex_persona = create_persona(&app, &globex, "Globex persona").await;

    assert_eq!(node(&app, &globex, &id, "id").await, Value::Null);
    let body = mutate(
        &app,
        &globex,
        "updateContentItem",
        "contentItem { id }",
        json!({ "id": id, "expectedVersion": 1, "message": "Hijacked" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "deleteContentItem",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "createContentItem",
        "contentItem { id }",
        content_input(&plan, &globex_persona, json!({})),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    // Linking the other tenant's persona or action is "no such" one.
    let payload = mutate_ok(
        &app,
        &globex,
        "createContentItem",
        "contentItem { id } userErrors { field code }",
        content_input(&globex_plan, &sophie, json!({ "actionId": action })),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.personaId: NOT_FOUND", "input.actionId: NOT_FOUND"]
    );
    let payload = mutate_ok(
        &app,
        &acme,
        "updateContentItem",
        "contentItem { id } userErrors { field code }",
        json!({ "id": id, "expectedVersion": 1, "personaId": globex_persona }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec!["input.personaId: NOT_FOUND"]);
    assert_eq!(content_count(&app, &globex, &globex_plan).await, 0);
    assert_eq!(read_content(&app, &acme, &id).await, before);
}

fn messages_of(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|n| n["message"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_and_the_publish_date_order_with_paging() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let sophie = create_persona(&app, &token, "Sophie").await;
    let marc = create_persona(&app, &token, "Marc").await;
    let rows = [
        (
            "s-reel",
            &sophie,
            "SOCIAL_MEDIA",
            "ATTRACT",
            "IDEA",
            "2027-03-15",
        ),
        (
            "s-blog",
            &sophie,
            "CONTENT",
            "CONVERT",
            "PUBLISHED",
            "2027-01-10",
        ),
        (
            "m-mail",
            &marc,
            "EMAILING",
            "CLOSE",
            "SCHEDULED",
            "2027-03-15",
        ),
        (
            "m-post",
            &marc,
            "SOCIAL_MEDIA",
            "DELIGHT",
            "DRAFT",
            "2027-06-01",
        ),
        (
            "s-mail",
            &sophie,
            "EMAILING",
            "DELIGHT",
            "DRAFT",
            "2027-03-31",
        ),
    ];
    let mut known = Vec::new();
    for (message, persona, lever, stage, status, date) in rows {
        let id = create_content(
            &app,
            &token,
            &plan,
            persona,
            json!({ "message": message, "lever": lever, "funnelStage": stage, "status": status,
                    "publishDate": date }),
        )
        .await;
        known.push((date, uuid_hex_of(&id), message.to_owned()));
    }
    known.sort();
    let expected_all: Vec<String> = known.iter().map(|(_, _, m)| m.clone()).collect();

    let query = "query($id: ID!, $filter: ContentItemFilter) { plan(id: $id) { contentItems(first: 100, filter: $filter) { totalCount nodes { message } } } }";
    let data = app
        .data(&token, query, json!({ "id": plan, "filter": null }))
        .await;
    assert_eq!(messages_of(&data["plan"]["contentItems"]), expected_all);
    let set =
        |items: &[&str]| -> BTreeSet<String> { items.iter().map(|m| (*m).to_owned()).collect() };
    for (filter, expected) in [
        (json!({ "personaId": marc }), set(&["m-mail", "m-post"])),
        (
            json!({ "levers": ["EMAILING", "CONTENT"] }),
            set(&["s-blog", "m-mail", "s-mail"]),
        ),
        (json!({ "stages": ["DELIGHT"] }), set(&["m-post", "s-mail"])),
        (
            json!({ "statuses": ["DRAFT", "IDEA"] }),
            set(&["s-reel", "m-post", "s-mail"]),
        ),
        (
            json!({ "publishedBetween": { "from": "2027-03-15", "to": "2027-03-31" } }),
            set(&["s-reel", "m-mail", "s-mail"]),
        ),
        (
            json!({ "personaId": sophie, "stages": ["DELIGHT", "ATTRACT"],
                    "publishedBetween": { "from": "2027-03-01", "to": "2027-03-20" } }),
            set(&["s-reel"]),
        ),
        (json!({ "statuses": [] }), set(&[])),
    ] {
        let data = app
            .data(&token, query, json!({ "id": plan, "filter": filter }))
            .await;
        let got: BTreeSet<String> = messages_of(&data["plan"]["contentItems"])
            .into_iter()
            .collect();
        assert_eq!(got, expected, "{filter}");
        assert_eq!(
            data["plan"]["contentItems"]["totalCount"],
            expected.len(),
            "{filter}"
        );
    }

    // Paging two at a time forward, then backward, visits every item once, in order.
    let page = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { plan(id: $id) { contentItems(first: $first, after: $after, last: $last, before: $before) { nodes { message } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";
    let mut forward = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let data = app
            .data(
                &token,
                page,
                json!({ "id": plan, "first": 2, "after": cursor }),
            )
            .await;
        let connection = &data["plan"]["contentItems"];
        forward.extend(messages_of(connection));
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        cursor = connection["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
        assert!(forward.len() < 10, "the list never ended");
    }
    assert_eq!(forward, expected_all);
    let mut backward: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let data = app
            .data(
                &token,
                page,
                json!({ "id": plan, "last": 2, "before": cursor }),
            )
            .await;
        let connection = &data["plan"]["contentItems"];
        backward.splice(0..0, messages_of(connection));
        if connection["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        cursor = connection["pageInfo"]["startCursor"]
            .as_str()
            .map(str::to_owned);
        assert!(backward.len() < 10, "the list never ended");
    }
    assert_eq!(backward, expected_all);
}
