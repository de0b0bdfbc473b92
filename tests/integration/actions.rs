//! Actions: every field round-trips, the journey phase follows the step, the ICE score is the
//! product of its inputs, versioned updates, deletes (detaching content), the validation rules
//! with nothing written, roles, tenancy, the filters (applied in SQL), ordering and keyset paging
//! by each order in both directions, and the statement count of nested action and content lists.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::{
    TestApp, action_input, create_action, create_campaign, create_content, create_persona,
    create_plan, dec, decimal_of, error_code, min_statements, mutate, mutate_ok, node, user_errors,
    uuid_hex_of,
};

const ACTION_FIELDS: &str = "id title description actionType lever journeyStep phase \
    funnelStage startDate dueDate owner status budget actualCost impact confidence ease \
    iceScore version createdAt updatedAt plan { id } campaign { id }";

fn payload_selection() -> String {
    format!("action {{ {ACTION_FIELDS} }} userErrors {{ field message code }}")
}

async fn read_action(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on Action {{ {ACTION_FIELDS} }}"),
    )
    .await
}

async fn action_count(app: &TestApp, token: &str, plan: &str) -> i64 {
    app.data(
        token,
        "query($id: ID!) { plan(id: $id) { actions { totalCount } } }",
        json!({ "id": plan }),
    )
    .await["plan"]["actions"]["totalCount"]
        .as_i64()
        .unwrap()
}

/// The step → phase table of seed 003, written out independently of the code.
const STEPS: [(&str, &str); 9] = [
    ("CHOOSE_TARGET_MARKET", "BEFORE"),
    ("CREATE_MESSAGES", "BEFORE"),
    ("REACH_PROSPECTS", "BEFORE"),
    ("CAPTURE_ATTRACTED", "DURING"),
    ("DEVELOP_AUDIENCE", "DURING"),
    ("CONVERT_SALES", "DURING"),
    ("DELIVER_EXPERIENCE", "AFTER"),
    ("RAISE_CUSTOMER_VALUE", "AFTER"),
    ("ORCHESTRATE_REFERRALS", "AFTER"),
];

#[tokio::test]
async fn an_action_created_with_every_field_reads_back_the_same() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let campaign = create_campaign(&app, &token, &plan, "Spring", &[]).await;
    let payload = mutate_ok(
        &app,
        &token,
        "createAction",
        &payload_selection(),
        json!({ "planId": plan, "campaignId": campaign, "title": "  Launch the referral program ",
                "description": "Give 10 € per referred friend", "actionType": "REFERRAL_PROGRAM",
                "lever": "EMAILING", "journeyStep": "ORCHESTRATE_REFERRALS", "funnelStage": "DELIGHT",
                "startDate": "2027-03-02", "dueDate": "2027-04-30", "owner": "Claire",
                "status": "IN_PROGRESS", "budget": "1250.50", "actualCost": "300.000001",
                "impact": 7, "confidence": 4, "ease": 9 }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let id = payload["action"]["id"].as_str().unwrap();
    let action = read_action(&app, &token, id).await;
    assert_eq!(action, payload["action"]);
    assert_eq!(action["title"], "Launch the referral program");
    assert_eq!(action["description"], "Give 10 € per referred friend");
    assert_eq!(action["actionType"], "REFERRAL_PROGRAM");
    assert_eq!(action["lever"], "EMAILING");
    assert_eq!(action["journeyStep"], "ORCHESTRATE_REFERRALS");
    assert_eq!(action["phase"], "AFTER");
    assert_eq!(action["funnelStage"], "DELIGHT");
    assert_eq!(action["startDate"], "2027-03-02");
    assert_eq!(action["dueDate"], "2027-04-30");
    assert_eq!(action["owner"], "Claire");
    assert_eq!(action["status"], "IN_PROGRESS");
    assert_eq!(decimal_of(&action["budget"]), dec("1250.50"));
    assert_eq!(decimal_of(&action["actualCost"]), dec("300.000001"));
    assert_eq!(
        (&action["impact"], &action["confidence"], &action["ease"]),
        (&json!(7), &json!(4), &json!(9))
    );
    assert_eq!(action["iceScore"], 7 * 4 * 9);
    assert_eq!(action["version"], 1);
    assert_eq!(action["plan"]["id"], plan.as_str());
    assert_eq!(action["campaign"]["id"], campaign.as_str());
}

#[tokio::test]
async fn omitted_fields_take_their_defaults() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create_action(&app, &token, &plan, json!({})).await;
    let action = read_action(&app, &token, &id).await;
    assert_eq!(action["status"], "TODO");
    assert_eq!(decimal_of(&action["actualCost"]), dec("0"));
    assert_eq!(action["campaign"], Value::Null);
    assert_eq!(action["owner"], Value::Null);
    assert_eq!(action["description"], Value::Null);
    assert_eq!(action["iceScore"], 125);
}

#[tokio::test]
async fn every_step_derives_its_phase_which_follows_updates_and_filters() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let mut ids = Vec::new();
    for (step, phase) in STEPS {
        let id = create_action(
            &app,
            &token,
            &plan,
            json!({ "title": step, "journeyStep": step }),
        )
        .await;
        let action = read_action(&app, &token, &id).await;
        assert_eq!(action["journeyStep"], step);
        assert_eq!(action["phase"], phase, "{step}");
        ids.push(id);
    }
    // Moving CREATE_MESSAGES (BEFORE) to CONVERT_SALES moves it to DURING.
    let payload = mutate_ok(
        &app,
        &token,
        "updateAction",
        &payload_selection(),
        json!({ "id": ids[1], "expectedVersion": 1, "journeyStep": "CONVERT_SALES" }),
    )
    .await;
    assert_eq!(payload["action"]["phase"], "DURING", "{payload}");
    let titles = |data: &Value| -> BTreeSet<String> {
        data["plan"]["actions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let data = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) { actions(filter: { phases: [DURING] }) { totalCount nodes { title } } } }",
            json!({ "id": plan }),
        )
        .await;
    let expected: BTreeSet<String> = [
        "CAPTURE_ATTRACTED",
        "DEVELOP_AUDIENCE",
        "CONVERT_SALES",
        "CREATE_MESSAGES",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(titles(&data), expected);
    assert_eq!(data["plan"]["actions"]["totalCount"], 4);
    let data = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) { actions(filter: { phases: [BEFORE, AFTER] }) { totalCount nodes { title } } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(data["plan"]["actions"]["totalCount"], 5);
}

#[tokio::test]
async fn updates_need_the_current_version_and_recompute_the_priority() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let campaign = create_campaign(&app, &token, &plan, "Spring", &[]).await;
    let id = create_action(
        &app,
        &token,
        &plan,
        json!({ "campaignId": campaign, "owner": "Claire", "description": "draft" }),
    )
    .await;
    let payload = mutate_ok(
        &app,
        &token,
        "updateAction",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "impact": 10, "ease": 2, "title": "Renamed",
                "dueDate": "2027-06-30", "status": "BLOCKED", "actualCost": "12.5",
                "campaignId": null, "owner": null }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let action = read_action(&app, &token, &id).await;
    assert_eq!(action, payload["action"]);
    assert_eq!(action["version"], 2);
    assert_eq!(action["iceScore"], 10 * 5 * 2, "confidence kept at 5");
    assert_eq!(action["title"], "Renamed");
    assert_eq!(action["startDate"], "2027-03-01");
    assert_eq!(action["dueDate"], "2027-06-30");
    assert_eq!(action["status"], "BLOCKED");
    assert_eq!(decimal_of(&action["actualCost"]), dec("12.5"));
    assert_eq!(action["campaign"], Value::Null);
    assert_eq!(action["owner"], Value::Null);
    assert_eq!(action["description"], "draft", "omitted fields stay");

    let stale = mutate(
        &app,
        &token,
        "updateAction",
        "action { id }",
        json!({ "id": id, "expectedVersion": 1, "title": "Lost update" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert_eq!(read_action(&app, &token, &id).await, action);
}

/// Creates an action that must be refused; returns its user errors after checking that the plan
/// has no more actions than before.
async fn refused_action(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let plan = input["planId"].as_str().unwrap().to_owned();
    let before = action_count(app, token, &plan).await;
    let payload = mutate_ok(app, token, "createAction", &payload_selection(), input).await;
    assert_eq!(payload["action"], Value::Null, "{payload}");
    assert_eq!(
        action_count(app, token, &plan).await,
        before,
        "a refused action was written"
    );
    user_errors(&payload)
}

#[tokio::test]
async fn invalid_actions_are_refused_field_by_field_with_nothing_written() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Plan B").await;
    let foreign_campaign = create_campaign(&app, &token, &other_plan, "Elsewhere", &[]).await;
    let missing_campaign = {
        let deleted = create_campaign(&app, &token, &plan, "Gone", &[]).await;
        let admin = app.token("acme", "admin");
        mutate_ok(
            &app,
            &admin,
            "deleteCampaign",
            "deletedId",
            json!({ "id": deleted }),
        )
        .await;
        deleted
    };

    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({ "title": "  " }), vec!["input.title: REQUIRED"]),
        (
            json!({ "title": "x".repeat(201) }),
            vec!["input.title: TOO_LONG"],
        ),
        (
            json!({ "startDate": "2026-12-31", "dueDate": "2028-01-01" }),
            vec![
                "input.startDate: OUTSIDE_PLAN_PERIOD",
                "input.dueDate: OUTSIDE_PLAN_PERIOD",
            ],
        ),
        (
            json!({ "startDate": "2027-05-02", "dueDate": "2027-05-01" }),
            vec!["input.dueDate: DATE_ORDER"],
        ),
        (
            json!({ "budget": "-1", "actualCost": "-0.5" }),
            vec![
                "input.budget: OUT_OF_RANGE",
                "input.actualCost: OUT_OF_RANGE",
            ],
        ),
        (
            json!({ "budget": "1.0000001" }),
            vec!["input.budget: TOO_PRECISE"],
        ),
        (
            json!({ "impact": 0, "confidence": 11, "ease": -3 }),
            vec![
                "input.impact: OUT_OF_RANGE",
                "input.confidence: OUT_OF_RANGE",
                "input.ease: OUT_OF_RANGE",
            ],
        ),
        (
            json!({ "owner": "o".repeat(201) }),
            vec!["input.owner: TOO_LONG"],
        ),
        (
            json!({ "campaignId": foreign_campaign }),
            vec!["input.campaignId: INVALID"],
        ),
        (
            json!({ "campaignId": missing_campaign }),
            vec!["input.campaignId: NOT_FOUND"],
        ),
        (
            json!({ "campaignId": plan }),
            vec!["input.campaignId: NOT_FOUND"],
        ),
    ];
    for (overrides, expected) in cases {
        let errors = refused_action(&app, &token, action_input(&plan, overrides.clone())).await;
        assert_eq!(errors, expected, "{overrides}");
    }

    // Every problem at once, all reported.
    let errors = refused_action(
        &app,
        &token,
        action_input(
            &plan,
            json!({ "title": "", "dueDate": "2027-02-01", "impact": 11, "budget": "-3" }),
        ),
    )
    .await;
    assert_eq!(
        errors,
        vec![
            "input.title: REQUIRED",
            "input.dueDate: DATE_ORDER",
            "input.budget: OUT_OF_RANGE",
            "input.impact: OUT_OF_RANGE",
        ]
    );

    // An invalid update changes nothing.
    let id = create_action(&app, &token, &plan, json!({})).await;
    let before = read_action(&app, &token, &id).await;
    let payload = mutate_ok(
        &app,
        &token,
        "updateAction",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "title": "Fine", "ease": 0,
                "dueDate": "2027-02-01", "campaignId": foreign_campaign }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.campaignId: INVALID",
            "input.dueDate: DATE_ORDER",
            "input.ease: OUT_OF_RANGE",
        ]
    );
    assert_eq!(read_action(&app, &token, &id).await, before);

    // ICE inputs whose product leaves the 32-bit range are refused like any other out-of-range
    // value (found by the fuzz test: the score was computed before the check and overflowed).
    let payload = mutate_ok(
        &app,
        &token,
        "updateAction",
        &payload_selection(),
        json!({ "id": id, "expectedVersion": 1, "impact": 2147483647,
                "confidence": 2147483647, "ease": -2147483648 }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.impact: OUT_OF_RANGE",
            "input.confidence: OUT_OF_RANGE",
            "input.ease: OUT_OF_RANGE",
        ]
    );
    assert_eq!(read_action(&app, &token, &id).await, before);

    // A plan that is not one: NOT_FOUND.
    let body = mutate(
        &app,
        &token,
        "createAction",
        "action { id }",
        action_input(&foreign_campaign, json!({})),
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
    let id = create_action(&app, &editor, &plan, json!({})).await;

    let body = mutate(
        &app,
        &viewer,
        "createAction",
        "action { id }",
        action_input(&plan, json!({})),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &viewer,
        "updateAction",
        "action { id }",
        json!({ "id": id, "expectedVersion": 1, "title": "No" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(action_count(&app, &viewer, &plan).await, 1, "viewers read");

    let body = mutate(
        &app,
        &editor,
        "deleteAction",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(action_count(&app, &editor, &plan).await, 1);

    let payload = mutate_ok(
        &app,
        &admin,
        "deleteAction",
        "deletedId userErrors { code }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(payload["deletedId"], id.as_str());
    assert_eq!(node(&app, &admin, &id, "id").await, Value::Null);
    assert_eq!(action_count(&app, &admin, &plan).await, 0);
    let again = mutate(
        &app,
        &admin,
        "deleteAction",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(error_code(&again), Some("NOT_FOUND"), "{again}");
}

#[tokio::test]
async fn deleting_a_campaign_or_an_action_detaches_what_pointed_at_it() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let persona = create_persona(&app, &admin, "Sophie").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let action = create_action(&app, &admin, &plan, json!({ "campaignId": campaign })).await;
    let content =
        create_content(&app, &admin, &plan, &persona, json!({ "actionId": action })).await;

    mutate_ok(
        &app,
        &admin,
        "deleteCampaign",
        "deletedId",
        json!({ "id": campaign }),
    )
    .await;
    let read = read_action(&app, &admin, &action).await;
    assert_eq!(read["campaign"], Value::Null);
    assert_eq!(read["version"], 2, "detaching is a change");

    mutate_ok(
        &app,
        &admin,
        "deleteAction",
        "deletedId",
        json!({ "id": action }),
    )
    .await;
    let item = node(
        &app,
        &admin,
        &content,
        "... on ContentItem { action { id } version }",
    )
    .await;
    assert_eq!(item, json!({ "action": null, "version": 2 }));
}

#[tokio::test]
async fn another_tenants_actions_do_not_exist() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let plan = create_plan(&app, &acme, "Acme plan").await;
    let campaign = create_campaign(&app, &acme, &plan, "Acme spring", &[]).await;
    let action = create_action(&app, &acme, &plan, json!({ "campaignId": campaign })).await;
    let before = read_action(&app, &acme, &action).await;

    let globex = app.token("globex", "admin");
    let globex_plan = create_plan(&app, &globex, "Globex plan").await;
    let globex_campaign = create_campaign(&app, &globex, &globex_plan, "Globex", &[]).await;
    let globex_action = create_action(&app, &globex, &globex_plan, json!({})).await;

    assert_eq!(node(&app, &globex, &action, "id").await, Value::Null);
    let listed = app
        .data(
            &globex,
            "{ actions(first: 100) { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["actions"],
        json!({ "totalCount": 1, "nodes": [{ "id": globex_action }] })
    );
    let filtered = app
        .data(
            &globex,
            "query($plan: ID!) { actions(filter: { planId: $plan }) { totalCount } }",
            json!({ "plan": plan }),
        )
        .await;
    assert_eq!(filtered["actions"]["totalCount"], 0);

    let body = mutate(
        &app,
        &globex,
        "updateAction",
        "action { id }",
        json!({ "id": action, "expectedVersion": 1, "title": "Hijacked" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "deleteAction",
        "deletedId",
        json!({ "id": action }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "createAction",
        "action { id }",
        action_input(&plan, json!({})),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    // Linking the other tenant's campaign, either way, is "no such campaign".
    let payload = mutate_ok(
        &app,
        &globex,
        "createAction",
        "action { id } userErrors { field code }",
        action_input(&globex_plan, json!({ "campaignId": campaign })),
    )
    .await;
    assert_eq!(user_errors(&payload), vec!["input.campaignId: NOT_FOUND"]);
    let payload = mutate_ok(
        &app,
        &acme,
        "updateAction",
        "action { id } userErrors { field code }",
        json!({ "id": action, "expectedVersion": 1, "campaignId": globex_campaign }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec!["input.campaignId: NOT_FOUND"]);

    assert_eq!(read_action(&app, &acme, &action).await, before);
    assert_eq!(action_count(&app, &globex, &globex_plan).await, 1);
}

/// One action of the ordering data set, with what the test knows of it.
#[derive(Debug, Clone)]
struct Known {
    id: String,
    hex: String,
    due: String,
    budget: rust_decimal::Decimal,
    ice: i64,
    created: chrono::DateTime<chrono::Utc>,
}

/// The expected order of `known` by `field` and `direction`, ties broken by id in the same
/// direction.
fn expected_order(known: &[Known], field: &str, direction: &str) -> Vec<String> {
    let mut sorted = known.to_vec();
    sorted.sort_by(|a, b| {
        let by_field = match field {
            "DUE_DATE" => a.due.cmp(&b.due),
            "BUDGET" => a.budget.cmp(&b.budget),
            "PRIORITY" => a.ice.cmp(&b.ice),
            "CREATED_AT" => a.created.cmp(&b.created),
            other => panic!("unknown field {other}"),
        };
        by_field.then_with(|| a.hex.cmp(&b.hex))
    });
    if direction == "DESC" {
        sorted.reverse();
    }
    sorted.into_iter().map(|k| k.id).collect()
}

const PAGE_QUERY: &str = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $order: ActionOrder) {
    plan(id: $id) { actions(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";

/// Reads the whole list page by page (2 per page), forward with `first/after` or backward with
/// `last/before`, and returns the IDs in list order.
async fn walk(app: &TestApp, token: &str, plan: &str, order: &Value, forward: bool) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let variables = if forward {
            json!({ "id": plan, "first": 2, "after": cursor, "order": order })
        } else {
            json!({ "id": plan, "last": 2, "before": cursor, "order": order })
        };
        let data = app.data(token, PAGE_QUERY, variables).await;
        let connection = &data["plan"]["actions"];
        assert_eq!(connection["totalCount"], 9);
        let page: Vec<String> = connection["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
            .collect();
        assert!(page.len() <= 2);
        let info = &connection["pageInfo"];
        if forward {
            ids.extend(page);
            if info["hasNextPage"] != true {
                return ids;
            }
            cursor = info["endCursor"].as_str().map(str::to_owned);
        } else {
            ids.splice(0..0, page);
            if info["hasPreviousPage"] != true {
                return ids;
            }
            cursor = info["startCursor"].as_str().map(str::to_owned);
        }
    }
    panic!("the list never ended: {ids:?}");
}

#[tokio::test]
async fn each_order_pages_through_every_action_exactly_once_in_both_directions() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Plan B").await;
    create_action(&app, &token, &other_plan, json!({})).await;
    // Ties on every field, so that the id must break them.
    let dues = [
        "2027-03-10",
        "2027-03-10",
        "2027-02-01",
        "2027-05-05",
        "2027-03-10",
        "2027-01-15",
        "2027-05-05",
        "2027-12-31",
        "2027-02-01",
    ];
    let budgets = [
        "100",
        "250.5",
        "100",
        "0",
        "999.999999",
        "250.5",
        "100",
        "0",
        "42",
    ];
    let ices = [
        (2, 5, 5),
        (5, 5, 2),
        (10, 10, 10),
        (1, 1, 1),
        (5, 2, 5),
        (3, 3, 3),
        (1, 1, 1),
        (9, 9, 9),
        (3, 9, 1),
    ];
    let mut known = Vec::new();
    for i in 0..9 {
        let (impact, confidence, ease) = ices[i];
        let payload = mutate_ok(
            &app,
            &token,
            "createAction",
            "action { id createdAt } userErrors { field code }",
            action_input(
                &plan,
                json!({ "title": format!("a{i}"), "startDate": "2027-01-01", "dueDate": dues[i],
                        "budget": budgets[i], "impact": impact, "confidence": confidence,
                        "ease": ease }),
            ),
        )
        .await;
        let id = payload["action"]["id"].as_str().unwrap().to_owned();
        let created =
            chrono::DateTime::parse_from_rfc3339(payload["action"]["createdAt"].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc);
        known.push(Known {
            hex: uuid_hex_of(&id),
            id,
            due: dues[i].to_owned(),
            budget: dec(budgets[i]),
            ice: i64::from(impact * confidence * ease),
            created,
        });
    }

    for field in ["DUE_DATE", "PRIORITY", "BUDGET", "CREATED_AT"] {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let expected = expected_order(&known, field, direction);
            let forward = walk(&app, &token, &plan, &order, true).await;
            assert_eq!(forward, expected, "{field} {direction}, forward");
            let backward = walk(&app, &token, &plan, &order, false).await;
            assert_eq!(backward, expected, "{field} {direction}, backward");
        }
    }

    // The default order is DUE_DATE ASC; the top-level list with planId agrees.
    let data = app
        .data(
            &token,
            "query($plan: ID!) { actions(first: 100, filter: { planId: $plan }, orderBy: { field: PRIORITY, direction: DESC }) { totalCount nodes { id } } }",
            json!({ "plan": plan }),
        )
        .await;
    let top: Vec<String> = data["actions"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(top, expected_order(&known, "PRIORITY", "DESC"));
    let data = app
        .data(&token, PAGE_QUERY, json!({ "id": plan, "first": 100 }))
        .await;
    let default: Vec<String> = data["plan"]["actions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(default, expected_order(&known, "DUE_DATE", "ASC"));

    // A cursor is only valid in the order it was read in.
    let data = app
        .data(
            &token,
            PAGE_QUERY,
            json!({ "id": plan, "first": 2, "order": { "field": "DUE_DATE", "direction": "ASC" } }),
        )
        .await;
    let cursor = data["plan"]["actions"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    for order in [
        json!({ "field": "PRIORITY", "direction": "ASC" }),
        json!({ "field": "DUE_DATE", "direction": "DESC" }),
    ] {
        let body = app
            .gql(
                &token,
                PAGE_QUERY,
                json!({ "id": plan, "first": 2, "after": cursor, "order": order }),
            )
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    }
    let plain = app
        .data(
            &token,
            "{ plans(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await["plans"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = app
        .gql(
            &token,
            PAGE_QUERY,
            json!({ "id": plan, "first": 2, "before": plain }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}

fn titles_of(connection: &Value) -> BTreeSet<String> {
    connection["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_owned())
        .collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

#[tokio::test]
async fn the_month_filter_keeps_the_actions_that_overlap_the_month() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    for (title, start, due) in [
        ("feb-to-mar", "2027-02-20", "2027-03-05"),
        ("last-of-march", "2027-03-31", "2027-03-31"),
        ("april", "2027-04-01", "2027-04-30"),
        ("all-year", "2027-01-01", "2027-12-31"),
        ("first-of-march", "2027-03-01", "2027-03-01"),
        ("february", "2027-02-01", "2027-02-28"),
        ("december", "2027-12-01", "2027-12-31"),
    ] {
        create_action(
            &app,
            &token,
            &plan,
            json!({ "title": title, "startDate": start, "dueDate": due }),
        )
        .await;
    }
    let query = "query($id: ID!, $month: Date!) { plan(id: $id) { actions(first: 100, filter: { month: $month }) { totalCount nodes { title } } } }";
    for (month, expected) in [
        (
            "2027-03-17",
            set(&["feb-to-mar", "last-of-march", "all-year", "first-of-march"]),
        ),
        ("2027-02-01", set(&["feb-to-mar", "all-year", "february"])),
        ("2027-12-31", set(&["all-year", "december"])),
        ("2027-04-30", set(&["april", "all-year"])),
        ("2028-01-10", set(&[])),
    ] {
        let data = app
            .data(&token, query, json!({ "id": plan, "month": month }))
            .await;
        assert_eq!(titles_of(&data["plan"]["actions"]), expected, "{month}");
        assert_eq!(
            data["plan"]["actions"]["totalCount"],
            expected.len(),
            "{month}"
        );
    }
}

#[tokio::test]
async fn filters_combine_on_plan_campaign_and_top_level_lists() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Plan B").await;
    let spring = create_campaign(&app, &token, &plan, "Spring", &[]).await;
    let autumn = create_campaign(&app, &token, &plan, "Autumn", &[]).await;
    for (title, overrides) in [
        (
            "seo-audit",
            json!({ "lever": "SEO", "status": "DONE", "campaignId": spring, "owner": "Claire",
                    "journeyStep": "REACH_PROSPECTS", "funnelStage": "ATTRACT" }),
        ),
        (
            "ads",
            json!({ "lever": "SEA", "status": "IN_PROGRESS", "campaignId": spring, "owner": "Marc",
                    "journeyStep": "REACH_PROSPECTS", "funnelStage": "CONVERT" }),
        ),
        (
            "newsletter",
            json!({ "lever": "EMAILING", "status": "TODO", "campaignId": autumn, "owner": "Claire",
                    "journeyStep": "DEVELOP_AUDIENCE", "funnelStage": "CLOSE" }),
        ),
        (
            "loyalty",
            json!({ "lever": "EMAILING", "status": "BLOCKED", "owner": " Claire ",
                    "journeyStep": "RAISE_CUSTOMER_VALUE", "funnelStage": "DELIGHT" }),
        ),
    ] {
        let mut overrides = overrides;
        overrides["title"] = json!(title);
        create_action(&app, &token, &plan, overrides).await;
    }
    create_action(
        &app,
        &token,
        &other_plan,
        json!({ "title": "elsewhere", "lever": "EMAILING", "owner": "Claire" }),
    )
    .await;

    let on_plan = "query($id: ID!, $filter: ActionFilter) { plan(id: $id) { actions(first: 100, filter: $filter) { totalCount nodes { title } } } }";
    for (filter, expected) in [
        (
            json!({}),
            set(&["seo-audit", "ads", "newsletter", "loyalty"]),
        ),
        (
            json!({ "statuses": ["DONE", "BLOCKED"] }),
            set(&["seo-audit", "loyalty"]),
        ),
        (json!({ "statuses": [] }), set(&[])),
        (
            json!({ "levers": ["EMAILING"] }),
            set(&["newsletter", "loyalty"]),
        ),
        (json!({ "campaignId": spring }), set(&["seo-audit", "ads"])),
        (
            json!({ "steps": ["REACH_PROSPECTS"] }),
            set(&["seo-audit", "ads"]),
        ),
        (
            json!({ "stages": ["CLOSE", "DELIGHT"] }),
            set(&["newsletter", "loyalty"]),
        ),
        (
            json!({ "owner": "Claire" }),
            set(&["seo-audit", "newsletter", "loyalty"]),
        ),
        (
            json!({ "owner": "Claire", "levers": ["SEO", "EMAILING"], "phases": ["DURING"] }),
            set(&["newsletter"]),
        ),
        (json!({ "planId": other_plan }), set(&[])),
    ] {
        let data = app
            .data(&token, on_plan, json!({ "id": plan, "filter": filter }))
            .await;
        assert_eq!(titles_of(&data["plan"]["actions"]), expected, "{filter}");
        assert_eq!(
            data["plan"]["actions"]["totalCount"],
            expected.len(),
            "{filter}"
        );
    }

    let on_campaign = "query($id: ID!, $filter: ActionFilter) { node(id: $id) { ... on Campaign { actions(filter: $filter) { totalCount nodes { title } } } } }";
    let data = app
        .data(&token, on_campaign, json!({ "id": spring, "filter": {} }))
        .await;
    assert_eq!(
        titles_of(&data["node"]["actions"]),
        set(&["seo-audit", "ads"])
    );
    let data = app
        .data(
            &token,
            on_campaign,
            json!({ "id": spring, "filter": { "levers": ["SEA"] } }),
        )
        .await;
    assert_eq!(titles_of(&data["node"]["actions"]), set(&["ads"]));
    assert_eq!(data["node"]["actions"]["totalCount"], 1);

    let top = "query($filter: ActionFilter) { actions(first: 100, filter: $filter) { totalCount nodes { title } } }";
    let data = app
        .data(
            &token,
            top,
            json!({ "filter": { "owner": "Claire", "levers": ["EMAILING"] } }),
        )
        .await;
    assert_eq!(
        titles_of(&data["actions"]),
        set(&["newsletter", "loyalty", "elsewhere"]),
        "across plans"
    );
    let data = app
        .data(&token, top, json!({ "filter": { "planId": other_plan } }))
        .await;
    assert_eq!(titles_of(&data["actions"]), set(&["elsewhere"]));
}

/// Builds `plans` plans for `tenant`, each with 2 campaigns, 2 personas, 5 actions (4 in a
/// campaign) and 4 content items (3 linked to an action).
async fn build_plans(app: &TestApp, token: &str, tenant: &str, plans: usize) {
    let personas = [
        create_persona(app, token, &format!("{tenant} persona 0")).await,
        create_persona(app, token, &format!("{tenant} persona 1")).await,
    ];
    for p in 0..plans {
        let plan = create_plan(app, token, &format!("{tenant} plan {p}")).await;
        let campaigns = [
            create_campaign(app, token, &plan, &format!("{tenant} campaign {p}.0"), &[]).await,
            create_campaign(app, token, &plan, &format!("{tenant} campaign {p}.1"), &[]).await,
        ];
        let mut actions = Vec::new();
        for a in 0..5 {
            let campaign = if a < 4 {
                json!(campaigns[a % 2])
            } else {
                Value::Null
            };
            actions.push(
                create_action(
                    app,
                    token,
                    &plan,
                    json!({ "title": format!("{tenant} action {p}.{a}"), "campaignId": campaign }),
                )
                .await,
            );
        }
        for c in 0..4 {
            let action = if c < 3 {
                json!(actions[c])
            } else {
                Value::Null
            };
            create_content(
                app,
                token,
                &plan,
                &personas[c % 2],
                json!({ "message": format!("{tenant} message {p}.{c}"), "actionId": action }),
            )
            .await;
        }
    }
}

const NESTED_QUERY: &str = "{ plans(first: 20) { nodes { name \
    actions(first: 20) { totalCount nodes { title campaign { name } } } \
    contentItems { totalCount nodes { message persona { name } action { title } } } } } }";

const CAMPAIGN_ACTIONS_QUERY: &str = "{ plans(first: 20) { nodes { \
    campaigns(first: 20) { nodes { name actions(first: 20, orderBy: { field: PRIORITY, direction: DESC }) { \
    totalCount nodes { title campaign { name } } } } } } } }";

/// The statements of [`NESTED_QUERY`] and of [`CAMPAIGN_ACTIONS_QUERY`] on `plans` plans.
async fn nested_cost(plans: usize) -> ((u64, Value), (u64, Value)) {
    let app = TestApp::spawn().await;
    let globex = app.token("globex", "editor");
    build_plans(&app, &globex, "globex", 2).await;
    let acme = app.token("acme", "editor");
    build_plans(&app, &acme, "acme", plans).await;
    (
        min_statements(&app, &acme, NESTED_QUERY, json!({})).await,
        min_statements(&app, &acme, CAMPAIGN_ACTIONS_QUERY, json!({})).await,
    )
}

fn check_campaign_actions(data: &Value, plans: usize) {
    let nodes = data["plans"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), plans);
    for plan in nodes {
        for campaign in plan["campaigns"]["nodes"].as_array().unwrap() {
            assert_eq!(campaign["actions"]["totalCount"], 2);
            for action in campaign["actions"]["nodes"].as_array().unwrap() {
                assert_eq!(action["campaign"]["name"], campaign["name"]);
            }
        }
    }
}

fn check_nested(data: &Value, plans: usize) {
    let nodes = data["plans"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), plans);
    for plan in nodes {
        assert_eq!(plan["actions"]["totalCount"], 5);
        let actions = plan["actions"]["nodes"].as_array().unwrap();
        assert_eq!(actions.len(), 5);
        assert_eq!(
            actions.iter().filter(|a| a["campaign"].is_null()).count(),
            1
        );
        for action in actions.iter().filter(|a| !a["campaign"].is_null()) {
            assert!(
                action["campaign"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with("acme campaign ")
            );
        }
        assert_eq!(plan["contentItems"]["totalCount"], 4);
        let items = plan["contentItems"]["nodes"].as_array().unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(items.iter().filter(|c| c["action"].is_null()).count(), 1);
        for item in items {
            assert!(
                item["persona"]["name"]
                    .as_str()
                    .unwrap()
                    .starts_with("acme persona ")
            );
        }
    }
}

#[tokio::test]
async fn nested_actions_and_content_cost_the_same_for_1_or_10_plans() {
    let ((one_cost, one_data), (one_campaigns_cost, one_campaigns)) = nested_cost(1).await;
    check_nested(&one_data, 1);
    check_campaign_actions(&one_campaigns, 1);
    let ((ten_cost, ten_data), (ten_campaigns_cost, ten_campaigns)) = nested_cost(10).await;
    check_nested(&ten_data, 10);
    check_campaign_actions(&ten_campaigns, 10);
    println!(
        "plans {{ actions {{ campaign }} contentItems {{ persona action }} }}: \
         {one_cost} statements for 1 plan, {ten_cost} for 10 plans (50 actions, 40 content items); \
         plans {{ campaigns {{ actions {{ campaign }} }} }}: {one_campaigns_cost} for 1 plan, \
         {ten_campaigns_cost} for 10 plans (20 campaigns)"
    );
    assert_eq!(
        ten_cost, one_cost,
        "the statement count grows with the rows"
    );
    assert_eq!(
        ten_campaigns_cost, one_campaigns_cost,
        "the statement count grows with the campaigns"
    );
    assert!(one_cost > 0);
}

#[tokio::test]
async fn a_plan_period_cannot_shrink_past_its_actions_or_content() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let persona = create_persona(&app, &token, "Sophie").await;
    create_action(
        &app,
        &token,
        &plan,
        json!({ "startDate": "2027-03-01", "dueDate": "2027-03-31" }),
    )
    .await;
    create_content(
        &app,
        &token,
        &plan,
        &persona,
        json!({ "publishDate": "2027-04-15" }),
    )
    .await;
    let selection = "plan { id } userErrors { field code }";
    for (change, field) in [
        (
            json!({ "periodStart": "2027-03-02" }),
            "input.periodStart: OUTSIDE_PLAN_PERIOD",
        ),
        (
            json!({ "periodEnd": "2027-04-14" }),
            "input.periodEnd: OUTSIDE_PLAN_PERIOD",
        ),
    ] {
        let mut input = change.clone();
        input["id"] = json!(plan);
        input["expectedVersion"] = json!(1);
        let payload = mutate_ok(&app, &token, "updatePlan", selection, input).await;
        assert_eq!(user_errors(&payload), vec![field], "{change}");
    }
    let payload = mutate_ok(
        &app,
        &token,
        "updatePlan",
        selection,
        json!({ "id": plan, "expectedVersion": 1, "periodStart": "2027-03-01", "periodEnd": "2027-04-15" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
}
