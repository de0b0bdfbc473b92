//! What links a campaign to the rest of the plan: its UTM code (unique in the plan), its parent
//! and sub-campaigns (same plan, no cycles, children detached when the parent goes), the
//! objectives it serves, its status lifecycle, and the campaign filters (per plan and over the
//! tenant), with roles and tenancy.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_objective, create_persona, create_plan, error_code, mutate, mutate_ok, node,
    user_errors,
};

const LINK_FIELDS: &str = "id name status version utmCode parent { id name } \
                           children { id name } objectives { id title }";

fn payload_selection() -> String {
    format!("campaign {{ {LINK_FIELDS} }} userErrors {{ field message code }}")
}

async fn read(app: &TestApp, token: &str, id: &str) -> Value {
    node(
        app,
        token,
        id,
        &format!("... on Campaign {{ {LINK_FIELDS} }}"),
    )
    .await
}

/// A valid campaign input in March 2027 for `plan`, with `extra` fields merged in.
fn input(plan: &str, name: &str, extra: Value) -> Value {
    let mut input = json!({ "planId": plan, "name": name, "kind": "AWARENESS",
                            "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "100" });
    for (key, value) in extra.as_object().unwrap() {
        input[key] = value.clone();
    }
    input
}

/// Creates a campaign that must be accepted; returns its ID.
async fn create(app: &TestApp, token: &str, plan: &str, name: &str, extra: Value) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createCampaign",
        &payload_selection(),
        input(plan, name, extra),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    payload["campaign"]["id"].as_str().unwrap().to_owned()
}

/// Every campaign of every plan of the tenant with its links, to check nothing was written.
async fn snapshot(app: &TestApp, token: &str) -> Value {
    app.data(
        token,
        &format!("{{ campaigns(first: 100) {{ totalCount nodes {{ {LINK_FIELDS} }} }} }}"),
        json!({}),
    )
    .await
}

async fn update(app: &TestApp, token: &str, id: &str, version: i64, changes: Value) -> Value {
    let mut input = changes;
    input["id"] = json!(id);
    input["expectedVersion"] = json!(version);
    mutate_ok(app, token, "updateCampaign", &payload_selection(), input).await
}

#[tokio::test]
async fn utm_codes_are_well_formed_and_unique_in_a_plan() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Other").await;
    let spring = create(
        &app,
        &token,
        &plan,
        "Spring",
        json!({ "utmCode": "spring-sale_2027.v1" }),
    )
    .await;
    assert_eq!(
        read(&app, &token, &spring).await["utmCode"],
        "spring-sale_2027.v1"
    );
    // The same code in another plan is fine; campaigns without a code never collide.
    create(
        &app,
        &token,
        &other_plan,
        "Spring elsewhere",
        json!({ "utmCode": "spring-sale_2027.v1" }),
    )
    .await;
    create(&app, &token, &plan, "No code 1", json!({})).await;
    let summer = create(&app, &token, &plan, "No code 2", json!({})).await;
    let before = snapshot(&app, &token).await;

    for (code, expected) in [
        ("Spring", "input.utmCode: INVALID"),
        ("spring sale", "input.utmCode: INVALID"),
        ("", "input.utmCode: INVALID"),
        ("été", "input.utmCode: INVALID"),
        (&"x".repeat(101), "input.utmCode: INVALID"),
        ("spring-sale_2027.v1", "input.utmCode: DUPLICATE"),
    ] {
        let payload = mutate_ok(
            &app,
            &token,
            "createCampaign",
            &payload_selection(),
            input(&plan, "Refused", json!({ "utmCode": code })),
        )
        .await;
        assert_eq!(payload["campaign"], Value::Null, "{code}");
        assert_eq!(user_errors(&payload), vec![expected], "{code}");
        let payload = update(
            &app,
            &token,
            &summer,
            1,
            json!({ "utmCode": code, "name": "Renamed" }),
        )
        .await;
        assert_eq!(user_errors(&payload), vec![expected], "{code}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "utmCode"])
        );
    }
    assert_eq!(snapshot(&app, &token).await, before, "nothing was written");

    // 100 characters is the limit; keeping one's own code is no duplicate; null removes it.
    let long = "x".repeat(100);
    let payload = update(&app, &token, &summer, 1, json!({ "utmCode": long })).await;
    assert_eq!(payload["campaign"]["utmCode"], long.as_str());
    let payload = update(
        &app,
        &token,
        &spring,
        1,
        json!({ "utmCode": "spring-sale_2027.v1", "name": "Spring!" }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    let payload = update(&app, &token, &spring, 2, json!({ "utmCode": null })).await;
    assert_eq!(payload["campaign"]["utmCode"], Value::Null);
    // Now free, the code can be taken by another campaign.
    let payload = update(
        &app,
        &token,
        &summer,
        2,
        json!({ "utmCode": "spring-sale_2027.v1" }),
    )
    .await;
    assert_eq!(payload["campaign"]["utmCode"], "spring-sale_2027.v1");
}

#[tokio::test]
async fn sub_campaigns_stay_in_their_plan_and_never_loop() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let other_plan = create_plan(&app, &token, "Other").await;
    let root = create(&app, &token, &plan, "Root", json!({})).await;
    let child_a = create(
        &app,
        &token,
        &plan,
        "Child A",
        json!({ "parentCampaignId": root }),
    )
    .await;
    let child_b = create(
        &app,
        &token,
        &plan,
        "Child B",
        json!({ "parentCampaignId": root }),
    )
    .await;
    let grandchild = create(
        &app,
        &token,
        &plan,
        "Grandchild",
        json!({ "parentCampaignId": child_a }),
    )
    .await;
    let elsewhere = create(&app, &token, &other_plan, "Elsewhere", json!({})).await;

    let root_read = read(&app, &token, &root).await;
    assert_eq!(root_read["parent"], Value::Null);
    assert_eq!(
        root_read["children"],
        json!([{ "id": child_a, "name": "Child A" }, { "id": child_b, "name": "Child B" }])
    );
    let child_read = read(&app, &token, &child_a).await;
    assert_eq!(child_read["parent"], json!({ "id": root, "name": "Root" }));
    assert_eq!(
        child_read["children"],
        json!([{ "id": grandchild, "name": "Grandchild" }])
    );

    let before = snapshot(&app, &token).await;
    let plan_id = create_plan(&app, &token, "Unused").await;
    for (parent, expected) in [
        (root.as_str(), "input.parentCampaignId: CYCLE"),
        (grandchild.as_str(), "input.parentCampaignId: CYCLE"),
        (child_a.as_str(), "input.parentCampaignId: CYCLE"),
        (elsewhere.as_str(), "input.parentCampaignId: INVALID"),
        ("not-an-id", "input.parentCampaignId: NOT_FOUND"),
        (plan_id.as_str(), "input.parentCampaignId: NOT_FOUND"),
    ] {
        let payload = update(
            &app,
            &token,
            &root,
            1,
            json!({ "parentCampaignId": parent, "name": "Renamed" }),
        )
        .await;
        assert_eq!(payload["campaign"], Value::Null, "{parent}");
        assert_eq!(user_errors(&payload), vec![expected], "{parent}");
    }
    let payload = mutate_ok(
        &app,
        &token,
        "createCampaign",
        &payload_selection(),
        input(&plan, "Refused", json!({ "parentCampaignId": elsewhere })),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.parentCampaignId: INVALID"]
    );
    assert_eq!(snapshot(&app, &token).await, before, "nothing was written");

    // Moving a sub-tree under a sibling is fine; null makes a campaign top-level again.
    let payload = update(
        &app,
        &token,
        &child_a,
        1,
        json!({ "parentCampaignId": child_b }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(payload["campaign"]["parent"]["id"], child_b.as_str());
    let payload = update(
        &app,
        &token,
        &child_a,
        2,
        json!({ "parentCampaignId": null }),
    )
    .await;
    assert_eq!(payload["campaign"]["parent"], Value::Null);
    assert_eq!(
        read(&app, &token, &child_b).await["children"],
        json!([]),
        "no longer a child"
    );
}

#[tokio::test]
async fn deleting_a_parent_detaches_its_children() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let root = create(&app, &admin, &plan, "Root", json!({})).await;
    let child = create(
        &app,
        &admin,
        &plan,
        "Child",
        json!({ "parentCampaignId": root }),
    )
    .await;
    let grandchild = create(
        &app,
        &admin,
        &plan,
        "Grandchild",
        json!({ "parentCampaignId": child }),
    )
    .await;
    let payload = mutate_ok(
        &app,
        &admin,
        "deleteCampaign",
        "deletedId userErrors { code }",
        json!({ "id": root }),
    )
    .await;
    assert_eq!(payload, json!({ "deletedId": root, "userErrors": [] }));
    assert_eq!(node(&app, &admin, &root, "id").await, Value::Null);
    let child_read = read(&app, &admin, &child).await;
    assert_eq!(child_read["parent"], Value::Null);
    assert_eq!(child_read["version"], 2, "detaching is a change");
    assert_eq!(
        child_read["children"],
        json!([{ "id": grandchild, "name": "Grandchild" }])
    );
    assert_eq!(read(&app, &admin, &grandchild).await["version"], 1);

    // A plan with nested campaigns deletes with all of them.
    let payload = mutate_ok(
        &app,
        &admin,
        "deletePlan",
        "deletedId userErrors { code }",
        json!({ "id": plan }),
    )
    .await;
    assert_eq!(payload["userErrors"], json!([]));
    assert_eq!(node(&app, &admin, &child, "id").await, Value::Null);
    assert_eq!(node(&app, &admin, &grandchild, "id").await, Value::Null);
}

#[tokio::test]
async fn campaigns_serve_objectives_of_their_plan() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let other_plan = create_plan(&app, &admin, "Other").await;
    let leads = create_objective(&app, &admin, &plan, "More leads").await;
    let late = mutate_ok(
        &app,
        &admin,
        "createObjective",
        "objective { id }",
        json!({ "planId": plan, "title": "Lower CPA", "kind": "CONVERSION", "kpiKey": "cpa",
                "target": "15", "deadline": "2027-12-31" }),
    )
    .await["objective"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let foreign_plan_objective = create_objective(&app, &admin, &other_plan, "Elsewhere").await;

    // Listed by deadline, repeats dropped.
    let id = create(
        &app,
        &admin,
        &plan,
        "Spring",
        json!({ "objectiveIds": [late, leads, late] }),
    )
    .await;
    assert_eq!(
        read(&app, &admin, &id).await["objectives"],
        json!([{ "id": leads, "title": "More leads" }, { "id": late, "title": "Lower CPA" }])
    );

    let before = snapshot(&app, &admin).await;
    let payload = mutate_ok(
        &app,
        &admin,
        "createCampaign",
        &payload_selection(),
        input(
            &plan,
            "Refused",
            json!({ "objectiveIds": [leads, foreign_plan_objective, "nope", plan] }),
        ),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.objectiveIds.1: INVALID",
            "input.objectiveIds.2: NOT_FOUND",
            "input.objectiveIds.3: NOT_FOUND"
        ]
    );
    let payload = update(
        &app,
        &admin,
        &id,
        1,
        json!({ "objectiveIds": [foreign_plan_objective], "name": "x" }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec!["input.objectiveIds.0: INVALID"]);
    assert_eq!(snapshot(&app, &admin).await, before, "nothing was written");

    let payload = update(&app, &admin, &id, 1, json!({ "objectiveIds": [late] })).await;
    assert_eq!(
        payload["campaign"]["objectives"],
        json!([{ "id": late, "title": "Lower CPA" }])
    );
    // Deleting the objective removes the link, not the campaign.
    let deleted = mutate_ok(
        &app,
        &admin,
        "deleteObjective",
        "userErrors { code }",
        json!({ "id": late }),
    )
    .await;
    assert_eq!(deleted["userErrors"], json!([]));
    assert_eq!(read(&app, &admin, &id).await["objectives"], json!([]));
}

#[tokio::test]
async fn statuses_follow_the_lifecycle_and_reopening_is_explicit() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    let id = create(&app, &token, &plan, "Spring", json!({})).await;
    let mut version = 1;
    // (target, reopen, accepted)
    let steps = [
        ("PAUSED", false, false),
        ("COMPLETED", false, false),
        ("PLANNED", false, true),
        ("ACTIVE", false, true),
        ("PLANNED", true, false),
        ("PAUSED", false, true),
        ("ACTIVE", false, true),
        ("PAUSED", false, true),
        ("COMPLETED", false, true),
        ("ACTIVE", false, false),
        ("CANCELLED", false, false),
        ("PLANNED", true, true),
        ("CANCELLED", false, true),
        ("ACTIVE", false, false),
        ("ACTIVE", true, true),
    ];
    let mut status = "PLANNED".to_owned();
    for (target, reopen, accepted) in steps {
        let payload = update(
            &app,
            &token,
            &id,
            version,
            json!({ "status": target, "reopen": reopen, "name": format!("to {target}") }),
        )
        .await;
        if accepted {
            assert_eq!(payload["userErrors"], json!([]), "{status} → {target}");
            version += 1;
            status = target.to_owned();
        } else {
            assert_eq!(payload["campaign"], Value::Null, "{status} → {target}");
            assert_eq!(
                payload["userErrors"][0]["field"],
                json!(["input", "status"])
            );
            assert_eq!(
                user_errors(&payload),
                vec!["input.status: INVALID_TRANSITION"],
                "{status} → {target}"
            );
        }
        let current = read(&app, &token, &id).await;
        assert_eq!(current["status"], status.as_str(), "after {target}");
        assert_eq!(current["version"], version);
    }
}

/// Builds acme's campaigns for the filter tests and a neighbour's that must never show.
async fn filter_world(app: &TestApp) -> (String, Vec<(String, String)>, String, String) {
    let token = app.token("acme", "editor");
    let sophie = create_persona(app, &token, "Sophie").await;
    let plan_a = create_plan(app, &token, "A").await;
    let plan_b = create_plan(app, &token, "B").await;
    let specs = [
        (
            &plan_a,
            "a1",
            "AWARENESS",
            json!(["SEO", "SEA"]),
            "2027-01-01",
            "2027-01-31",
            "ACTIVE",
            true,
        ),
        (
            &plan_a,
            "a2",
            "CONVERSION",
            json!(["EMAILING"]),
            "2027-03-01",
            "2027-03-31",
            "PLANNED",
            false,
        ),
        (
            &plan_a,
            "a3",
            "TRAFFIC",
            json!(["SEA"]),
            "2027-06-01",
            "2027-08-31",
            "PAUSED",
            true,
        ),
        (
            &plan_b,
            "b1",
            "AWARENESS",
            json!(["PR"]),
            "2027-02-15",
            "2027-03-15",
            "ACTIVE",
            false,
        ),
        (
            &plan_b,
            "b2",
            "LOYALTY",
            json!([]),
            "2027-12-01",
            "2027-12-31",
            "COMPLETED",
            true,
        ),
    ];
    let mut created = Vec::new();
    for (plan, name, kind, levers, start, end, status, targets) in specs {
        let personas = if targets { json!([sophie]) } else { json!([]) };
        let id = create(
            app,
            &token,
            plan,
            name,
            json!({ "kind": kind, "levers": levers, "startDate": start, "endDate": end,
                    "status": status, "personaIds": personas }),
        )
        .await;
        created.push((name.to_owned(), id));
    }
    let globex = app.token("globex", "editor");
    let globex_plan = create_plan(app, &globex, "G").await;
    create(
        app,
        &globex,
        &globex_plan,
        "g1",
        json!({ "levers": ["SEO"], "status": "ACTIVE" }),
    )
    .await;
    (sophie, created, plan_a, plan_b)
}

fn names(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn campaigns_are_filtered_in_every_list() {
    let app = TestApp::spawn().await;
    let (sophie, _, plan_a, plan_b) = filter_world(&app).await;
    let token = app.token("acme", "viewer");
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({}), vec!["a1", "a2", "a3", "b1", "b2"]),
        (json!({ "planId": plan_b }), vec!["b1", "b2"]),
        (
            json!({ "statuses": ["ACTIVE", "PAUSED"] }),
            vec!["a1", "a3", "b1"],
        ),
        (json!({ "levers": ["SEA", "PR"] }), vec!["a1", "a3", "b1"]),
        (json!({ "levers": ["SEA", "SEO"] }), vec!["a1", "a3"]),
        (json!({ "kinds": ["AWARENESS"] }), vec!["a1", "b1"]),
        (json!({ "personaId": sophie }), vec!["a1", "a3", "b2"]),
        (
            json!({ "activeBetween": { "from": "2027-03-10", "to": "2027-06-01" } }),
            vec!["a2", "a3", "b1"],
        ),
        (
            json!({ "activeBetween": { "from": "2027-01-31", "to": "2027-01-31" } }),
            vec!["a1"],
        ),
        (
            json!({ "statuses": ["ACTIVE"], "kinds": ["AWARENESS"], "levers": ["SEO"], "personaId": sophie }),
            vec!["a1"],
        ),
        (json!({ "planId": plan_a, "kinds": ["LOYALTY"] }), vec![]),
        (json!({ "personaId": "not-an-id" }), vec![]),
    ];
    for (filter, expected) in cases {
        let data = app
            .data(
                &token,
                "query($filter: CampaignFilter) { campaigns(filter: $filter) { totalCount nodes { name } } }",
                json!({ "filter": filter }),
            )
            .await;
        assert_eq!(names(&data["campaigns"]), expected, "{filter}");
        assert_eq!(data["campaigns"]["totalCount"], expected.len(), "{filter}");

        // The same filter on each plan's nested list gives that plan's share.
        let data = app
            .data(
                &token,
                "query($filter: CampaignFilter) { plans { nodes { name campaigns(filter: $filter) { totalCount nodes { name } } } } }",
                json!({ "filter": filter }),
            )
            .await;
        for plan in data["plans"]["nodes"].as_array().unwrap() {
            let prefix = plan["name"].as_str().unwrap().to_lowercase();
            let share: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|n| n.starts_with(&prefix))
                .collect();
            assert_eq!(names(&plan["campaigns"]), share, "{filter} in {prefix}");
            assert_eq!(
                plan["campaigns"]["totalCount"],
                share.len(),
                "{filter} in {prefix}"
            );
        }
    }

    // Pages of a filtered list.
    let query = "query($after: String) { campaigns(first: 2, after: $after, filter: { levers: [SEA, PR, EMAILING] }) {
        totalCount nodes { name } pageInfo { hasNextPage endCursor } } }";
    let first = app.data(&token, query, json!({})).await;
    assert_eq!(names(&first["campaigns"]), vec!["a1", "a2"]);
    assert_eq!(first["campaigns"]["totalCount"], 4);
    assert_eq!(first["campaigns"]["pageInfo"]["hasNextPage"], true);
    let cursor = first["campaigns"]["pageInfo"]["endCursor"].clone();
    let second = app.data(&token, query, json!({ "after": cursor })).await;
    assert_eq!(names(&second["campaigns"]), vec!["a3", "b1"]);
    assert_eq!(second["campaigns"]["pageInfo"]["hasNextPage"], false);

    // A range that ends before it starts is a bad request.
    let body = app
        .gql(
            &token,
            "{ campaigns(filter: { activeBetween: { from: \"2027-02-01\", to: \"2027-01-01\" } }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
}

#[tokio::test]
async fn links_to_another_tenant_are_not_found_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let acme_plan = create_plan(&app, &acme, "Acme").await;
    let acme_objective = create_objective(&app, &acme, &acme_plan, "Acme objective").await;
    let acme_campaign = create(
        &app,
        &acme,
        &acme_plan,
        "Acme campaign",
        json!({ "utmCode": "shared" }),
    )
    .await;
    let acme_before = snapshot(&app, &acme).await;

    let globex = app.token("globex", "admin");
    let plan = create_plan(&app, &globex, "Globex").await;
    // The same UTM code in another tenant is no duplicate.
    let own = create(
        &app,
        &globex,
        &plan,
        "Globex campaign",
        json!({ "utmCode": "shared" }),
    )
    .await;
    let before = snapshot(&app, &globex).await;
    assert_eq!(
        before["campaigns"]["totalCount"], 1,
        "acme's campaigns are not listed"
    );
    let payload = mutate_ok(
        &app,
        &globex,
        "createCampaign",
        &payload_selection(),
        input(
            &plan,
            "Refused",
            json!({ "parentCampaignId": acme_campaign, "objectiveIds": [acme_objective] }),
        ),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.objectiveIds.0: NOT_FOUND",
            "input.parentCampaignId: NOT_FOUND"
        ]
    );
    let payload = update(
        &app,
        &globex,
        &own,
        1,
        json!({ "parentCampaignId": acme_campaign, "objectiveIds": [acme_objective] }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.parentCampaignId: NOT_FOUND",
            "input.objectiveIds.0: NOT_FOUND"
        ]
    );
    // Filters on another tenant's plan or persona find nothing.
    let data = app
        .data(
            &globex,
            "query($plan: ID!) { campaigns(filter: { planId: $plan }) { totalCount } }",
            json!({ "plan": acme_plan }),
        )
        .await;
    assert_eq!(data["campaigns"]["totalCount"], 0);
    // Acme's campaign cannot be changed or deleted from globex.
    let body = mutate(
        &app,
        &globex,
        "updateCampaign",
        "campaign { id }",
        json!({ "id": acme_campaign, "expectedVersion": 1, "status": "ACTIVE" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = mutate(
        &app,
        &globex,
        "deleteCampaign",
        "deletedId",
        json!({ "id": acme_campaign }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    assert_eq!(snapshot(&app, &globex).await, before);
    assert_eq!(snapshot(&app, &acme).await, acme_before);
}

#[tokio::test]
async fn viewers_cannot_link_and_editors_cannot_delete() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan").await;
    let parent = create(&app, &editor, &plan, "Parent", json!({})).await;
    let child = create(
        &app,
        &editor,
        &plan,
        "Child",
        json!({ "parentCampaignId": parent }),
    )
    .await;
    let before = snapshot(&app, &editor).await;
    let viewer = app.token("acme", "viewer");
    let body = mutate(
        &app,
        &viewer,
        "updateCampaign",
        "campaign { id }",
        json!({ "id": child, "expectedVersion": 1, "parentCampaignId": null }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &viewer,
        "createCampaign",
        "campaign { id }",
        input(&plan, "x", json!({ "parentCampaignId": parent })),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = mutate(
        &app,
        &editor,
        "deleteCampaign",
        "deletedId",
        json!({ "id": parent }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(
        snapshot(&app, &editor).await,
        before,
        "the child is still attached"
    );
}

const LINKS_QUERY: &str = "{ plans(first: 20) { nodes { name \
    leverAllocations { lever } leverInteractions { kind } budgetCheck { allocated warnings { code } } \
    campaigns(filter: { statuses: [PLANNED, ACTIVE], levers: [SEO, EMAILING] }) { totalCount nodes { name \
    parent { name } children { name } objectives { title } } } } } }";

/// Creates `plans` plans, each with two lever allocations, an interaction, two objectives, and
/// four campaigns: a root, two sub-campaigns serving the objectives, and one the filter leaves
/// out.
async fn build_links(app: &TestApp, token: &str, tenant: &str, plans: usize) {
    for p in 0..plans {
        let plan = create_plan(app, token, &format!("{tenant} plan {p}")).await;
        for (lever, budget) in [("SEO", "60000"), ("EMAILING", "50000")] {
            let payload = mutate_ok(
                app,
                token,
                "createLeverAllocation",
                "userErrors { code }",
                json!({ "planId": plan, "lever": lever, "budget": budget, "priority": 1 }),
            )
            .await;
            assert_eq!(payload["userErrors"], json!([]));
        }
        let payload = mutate_ok(
            app,
            token,
            "createLeverInteraction",
            "userErrors { code }",
            json!({ "planId": plan, "fromLever": "SEO", "toLever": "EMAILING", "kind": "SYNERGY" }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]));
        let first = create_objective(app, token, &plan, &format!("{tenant} objective {p}.0")).await;
        let second =
            create_objective(app, token, &plan, &format!("{tenant} objective {p}.1")).await;
        let root = create(
            app,
            token,
            &plan,
            &format!("{tenant} root {p}"),
            json!({ "levers": ["SEO"], "status": "ACTIVE" }),
        )
        .await;
        for c in 0..2 {
            create(
                app,
                token,
                &plan,
                &format!("{tenant} child {p}.{c}"),
                json!({ "levers": ["EMAILING"], "parentCampaignId": root,
                        "objectiveIds": [first, second] }),
            )
            .await;
        }
        create(
            app,
            token,
            &plan,
            &format!("{tenant} left out {p}"),
            json!({ "levers": ["PR"], "parentCampaignId": root }),
        )
        .await;
    }
}

/// Statements of one run of `query`, the fewest of several runs after a warm-up: a DataLoader
/// batch split by a descheduled request adds statements, never removes any, so the minimum is
/// the query's real cost (as in statements.rs).
async fn cost_of(app: &TestApp, token: &str, query: &str) -> (u64, Value) {
    let expected = app.data(token, query, json!({})).await;
    let mut fewest = u64::MAX;
    for _ in 0..5 {
        let before = app.statements();
        let data = app.data(token, query, json!({})).await;
        fewest = fewest.min(app.statements() - before);
        assert_eq!(data, expected);
    }
    (fewest, expected)
}

async fn links_query_cost(plans: usize) -> (u64, Value) {
    let app = TestApp::spawn().await;
    let globex = app.token("globex", "editor");
    build_links(&app, &globex, "globex", 2).await;
    let acme = app.token("acme", "editor");
    build_links(&app, &acme, "acme", plans).await;
    cost_of(&app, &acme, LINKS_QUERY).await
}

fn check_links_answer(data: &Value, plans: usize) {
    let nodes = data["plans"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), plans);
    for (p, plan) in nodes.iter().enumerate() {
        assert_eq!(
            plan["leverAllocations"],
            json!([{ "lever": "SEO" }, { "lever": "EMAILING" }])
        );
        assert_eq!(plan["leverInteractions"], json!([{ "kind": "SYNERGY" }]));
        assert_eq!(
            plan["budgetCheck"],
            json!({ "allocated": "110000.00", "warnings": [{ "code": "LEVER_ALLOCATIONS_EXCEED_BUDGET" }] })
        );
        let root = format!("acme root {p}");
        let children = json!([{ "name": format!("acme child {p}.0") },
                              { "name": format!("acme child {p}.1") },
                              { "name": format!("acme left out {p}") }]);
        let objectives = json!([{ "title": format!("acme objective {p}.0") },
                                { "title": format!("acme objective {p}.1") }]);
        assert_eq!(
            plan["campaigns"],
            json!({ "totalCount": 3, "nodes": [
                { "name": root, "parent": null, "children": children, "objectives": [] },
                { "name": format!("acme child {p}.0"), "parent": { "name": root }, "children": [], "objectives": objectives },
                { "name": format!("acme child {p}.1"), "parent": { "name": root }, "children": [], "objectives": objectives },
            ] })
        );
    }
}

#[tokio::test]
async fn levers_and_campaign_links_cost_the_same_for_1_or_10_plans() {
    let (small_cost, small_data) = links_query_cost(1).await;
    check_links_answer(&small_data, 1);
    let (large_cost, large_data) = links_query_cost(10).await;
    check_links_answer(&large_data, 10);
    println!(
        "levers and campaign links: {small_cost} statements for 1 plan, {large_cost} for 10 plans"
    );
    assert_eq!(
        large_cost, small_cost,
        "the statement count grows with the rows"
    );
    assert!(large_cost > 0, "the statement counter counts nothing");
}
