//! Tenant-defined KPIs: base (summed, snapshot) and derived (ratio) definitions join the
//! built-in catalogue; keys, components and formulas are validated with nothing written; a KPI
//! in use keeps its key and aggregation and cannot be deleted; built-ins are read-only; each
//! tenant sees only its own; roles and versions are enforced.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_plan, error_code, min_statements, mutate, mutate_ok, node, record_measurements,
    sql_integer, user_errors,
};

const KPI_FIELDS: &str = "id key name description unit direction aggregation numeratorKey \
                          denominatorKey scale offset isDerived builtIn version";

fn payload_selection() -> String {
    format!("kpiDefinition {{ {KPI_FIELDS} }} userErrors {{ field message code }}")
}

/// The whole catalogue as the tenant of `token` sees it.
async fn catalogue(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app
        .data(
            token,
            &format!("{{ kpiDefinitions {{ {KPI_FIELDS} }} }}"),
            json!({}),
        )
        .await;
    data["kpiDefinitions"].as_array().unwrap().clone()
}

fn keys_of(catalogue: &[Value]) -> Vec<String> {
    catalogue
        .iter()
        .map(|kpi| kpi["key"].as_str().unwrap().to_owned())
        .collect()
}

fn find<'a>(catalogue: &'a [Value], key: &str) -> &'a Value {
    catalogue
        .iter()
        .find(|kpi| kpi["key"] == key)
        .unwrap_or_else(|| panic!("no `{key}` in the catalogue"))
}

fn base(key: &str, aggregation: &str) -> Value {
    json!({ "key": key, "name": format!("KPI {key}"), "unit": "COUNT",
            "direction": "HIGHER_IS_BETTER", "aggregation": aggregation })
}

fn ratio(key: &str, numerator: &str, denominator: &str) -> Value {
    json!({ "key": key, "name": format!("KPI {key}"), "unit": "CURRENCY",
            "direction": "LOWER_IS_BETTER", "aggregation": "RATIO",
            "numeratorKey": numerator, "denominatorKey": denominator })
}

/// Creates a KPI that must be accepted; returns it.
async fn create(app: &TestApp, token: &str, input: Value) -> Value {
    let payload = mutate_ok(
        app,
        token,
        "createKpiDefinition",
        &payload_selection(),
        input,
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    payload["kpiDefinition"].clone()
}

/// Creates a KPI that must be refused; returns its user errors after checking that the
/// catalogue did not change.
async fn refused(app: &TestApp, token: &str, input: Value) -> Vec<String> {
    let before = catalogue(app, token).await;
    let payload = mutate_ok(
        app,
        token,
        "createKpiDefinition",
        &payload_selection(),
        input,
    )
    .await;
    assert_eq!(payload["kpiDefinition"], Value::Null, "{payload}");
    assert_eq!(
        catalogue(app, token).await,
        before,
        "a refused KPI was written"
    );
    user_errors(&payload)
}

async fn update(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(
        app,
        token,
        "updateKpiDefinition",
        &payload_selection(),
        input,
    )
    .await
}

async fn delete(app: &TestApp, token: &str, id: &str) -> Value {
    mutate(
        app,
        token,
        "deleteKpiDefinition",
        "deletedId userErrors { field message code }",
        json!({ "id": id }),
    )
    .await
}

async fn create_objective_on(app: &TestApp, token: &str, plan: &str, kpi_key: &str) -> Value {
    mutate_ok(
        app,
        token,
        "createObjective",
        "objective { id kpi { key builtIn version aggregation } } userErrors { field code }",
        json!({ "planId": plan, "title": "Cheaper demos", "kind": "CONVERSION",
                "kpiKey": kpi_key, "target": "50", "deadline": "2027-06-30" }),
    )
    .await
}

#[tokio::test]
async fn base_and_derived_kpis_join_the_built_ins_sorted_by_key() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let built_ins = catalogue(&app, &token).await;
    assert!(built_ins.iter().all(|kpi| kpi["builtIn"] == true));
    assert!(built_ins.iter().all(|kpi| kpi["version"] == Value::Null));

    let demos = create(&app, &token, base("demo_requests", "SUM")).await;
    assert_eq!(
        demos,
        json!({ "id": demos["id"], "key": "demo_requests", "name": "KPI demo_requests",
                "description": "", "unit": "COUNT", "direction": "HIGHER_IS_BETTER",
                "aggregation": "SUM", "numeratorKey": null, "denominatorKey": null,
                "scale": null, "offset": null, "isDerived": false, "builtIn": false,
                "version": 1 })
    );
    let members = create(
        &app,
        &token,
        json!({ "key": "community_members", "name": "Community members",
                "description": "Members of the forum at the end of the period.",
                "unit": "COUNT", "direction": "HIGHER_IS_BETTER", "aggregation": "LAST" }),
    )
    .await;
    assert_eq!(members["aggregation"], "LAST");
    assert_eq!(
        members["description"],
        "Members of the forum at the end of the period."
    );
    // Spend per demo request: a ratio of a built-in and a tenant component, scale 1, offset 0.
    let per_demo = create(
        &app,
        &token,
        ratio("cost_per_demo", "spend", "demo_requests"),
    )
    .await;
    assert_eq!(
        per_demo,
        json!({ "id": per_demo["id"], "key": "cost_per_demo", "name": "KPI cost_per_demo",
                "description": "", "unit": "CURRENCY", "direction": "LOWER_IS_BETTER",
                "aggregation": "RATIO", "numeratorKey": "spend",
                "denominatorKey": "demo_requests", "scale": "1", "offset": "0",
                "isDerived": true, "builtIn": false, "version": 1 })
    );
    // Demos per thousand clicks, minus a baseline of 0.25.
    let mut per_mille = ratio("demos_per_mille", "demo_requests", "clicks");
    per_mille["scale"] = json!("1000");
    per_mille["offset"] = json!("-0.25");
    let per_mille = create(&app, &token, per_mille).await;
    assert_eq!(per_mille["scale"], "1000");
    assert_eq!(per_mille["offset"], "-0.25");

    let after = catalogue(&app, &token).await;
    assert_eq!(after.len(), built_ins.len() + 4);
    let keys = keys_of(&after);
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "the catalogue is sorted by key");
    for own in [&demos, &members, &per_demo, &per_mille] {
        assert_eq!(find(&after, own["key"].as_str().unwrap()), own);
    }
    assert_eq!(find(&after, "clicks")["builtIn"], true);
    assert_eq!(find(&after, "clicks")["version"], Value::Null);
    // A component may be both numerator and denominator: legal, if dull, arithmetic.
    let one = create(
        &app,
        &token,
        ratio("clicks_over_clicks", "clicks", "clicks"),
    )
    .await;
    assert_eq!(one["numeratorKey"], "clicks");
    assert_eq!(one["denominatorKey"], "clicks");
}

#[tokio::test]
async fn a_tenant_kpi_resolves_by_node_and_measures_an_objective() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let demos = create(&app, &token, base("demo_requests", "SUM")).await;
    let id = demos["id"].as_str().unwrap();
    let read = node(
        &app,
        &token,
        id,
        "... on KpiDefinition { key builtIn version aggregation }",
    )
    .await;
    assert_eq!(
        read,
        json!({ "key": "demo_requests", "builtIn": false, "version": 1, "aggregation": "SUM" })
    );

    let plan = create_plan(&app, &token, "Plan 2027").await;
    let payload = create_objective_on(&app, &token, &plan, "demo_requests").await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(
        payload["objective"]["kpi"],
        json!({ "key": "demo_requests", "builtIn": false, "version": 1, "aggregation": "SUM" })
    );
    let plan_read = node(
        &app,
        &token,
        &plan,
        "... on Plan { objectives { kpi { id key builtIn } } }",
    )
    .await;
    assert_eq!(
        plan_read["objectives"],
        json!([{ "kpi": { "id": id, "key": "demo_requests", "builtIn": false } }])
    );
}

#[tokio::test]
async fn a_key_is_well_formed_not_built_in_and_unique_in_the_tenant() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    create(&app, &token, base("demo_requests", "SUM")).await;
    let longest = format!("k{}", "x".repeat(63));
    create(&app, &token, base(&longest, "SUM")).await;

    for (key, code) in [
        ("", "REQUIRED"),
        ("Demo", "INVALID"),
        ("9demos", "INVALID"),
        ("_demos", "INVALID"),
        ("demo-requests", "INVALID"),
        ("demo requests", "INVALID"),
        ("démos", "INVALID"),
        (&format!("k{}", "x".repeat(64)), "INVALID"),
        ("clicks", "DUPLICATE"),
        ("ctr", "DUPLICATE"),
        ("demo_requests", "DUPLICATE"),
    ] {
        assert_eq!(
            refused(&app, &token, base(key, "SUM")).await,
            vec![format!("input.key: {code}")],
            "key `{key}`"
        );
    }
    let mut nameless = base("demos_2", "SUM");
    nameless["name"] = json!("   ");
    assert_eq!(
        refused(&app, &token, nameless).await,
        vec!["input.name: REQUIRED"]
    );
}

#[tokio::test]
async fn a_ratio_is_made_of_two_existing_summed_base_kpis() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    create(&app, &token, base("community_members", "LAST")).await;
    create(&app, &token, base("unique_buyers", "NON_ADDITIVE")).await;
    create(&app, &token, ratio("cost_per_click", "spend", "clicks")).await;
    let other = app.token("globex", "editor");
    create(&app, &other, base("globex_only", "SUM")).await;

    let mut no_components = ratio("r", "x", "y");
    no_components
        .as_object_mut()
        .unwrap()
        .retain(|field, _| field != "numeratorKey" && field != "denominatorKey");
    assert_eq!(
        refused(&app, &token, no_components).await,
        vec![
            "input.numeratorKey: REQUIRED",
            "input.denominatorKey: REQUIRED"
        ]
    );
    let cases = [
        (("nope", "clicks"), "input.numeratorKey: NOT_FOUND"),
        (("clicks", "globex_only"), "input.denominatorKey: NOT_FOUND"),
        (("subscribers", "clicks"), "input.numeratorKey: INVALID"),
        (("clicks", "reach"), "input.denominatorKey: INVALID"),
        (
            ("community_members", "clicks"),
            "input.numeratorKey: INVALID",
        ),
        (("clicks", "unique_buyers"), "input.denominatorKey: INVALID"),
        (("ctr", "clicks"), "input.numeratorKey: INVALID"),
        (
            ("clicks", "cost_per_click"),
            "input.denominatorKey: INVALID",
        ),
        (("r", "clicks"), "input.numeratorKey: CYCLE"),
        (("clicks", "r"), "input.denominatorKey: CYCLE"),
    ];
    for ((numerator, denominator), expected) in cases {
        assert_eq!(
            refused(&app, &token, ratio("r", numerator, denominator)).await,
            vec![expected],
            "{numerator} / {denominator}"
        );
    }
    let mut zero_scale = ratio("r", "spend", "clicks");
    zero_scale["scale"] = json!("0");
    assert_eq!(
        refused(&app, &token, zero_scale).await,
        vec!["input.scale: OUT_OF_RANGE"]
    );

    // The message says why a snapshot is refused.
    let payload = mutate_ok(
        &app,
        &token,
        "createKpiDefinition",
        &payload_selection(),
        ratio("r", "subscribers", "clicks"),
    )
    .await;
    let message = payload["userErrors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("snapshot") && message.contains("SUM"),
        "{message}"
    );
}

#[tokio::test]
async fn a_base_kpi_carries_no_formula() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let mut input = base("demo_requests", "SUM");
    input["numeratorKey"] = json!("spend");
    input["denominatorKey"] = json!("clicks");
    input["scale"] = json!("1");
    input["offset"] = json!("0");
    assert_eq!(
        refused(&app, &token, input).await,
        vec![
            "input.numeratorKey: INVALID",
            "input.denominatorKey: INVALID",
            "input.scale: INVALID",
            "input.offset: INVALID",
        ]
    );
}

#[tokio::test]
async fn the_same_key_in_two_tenants_stays_separate() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let acme_kpi = create(&app, &acme, base("demo_requests", "SUM")).await;
    let globex_kpi = create(&app, &globex, base("demo_requests", "LAST")).await;
    assert_ne!(acme_kpi["id"], globex_kpi["id"]);
    let acme_id = acme_kpi["id"].as_str().unwrap();

    let seen_by_globex = catalogue(&app, &globex).await;
    let own: Vec<&Value> = seen_by_globex
        .iter()
        .filter(|kpi| kpi["key"] == "demo_requests")
        .collect();
    assert_eq!(own, vec![&globex_kpi]);
    assert_eq!(
        node(&app, &globex, acme_id, "... on KpiDefinition { key }").await,
        Value::Null
    );
    // globex cannot use acme's id, nor build a ratio on acme-only keys.
    let body = update(
        &app,
        &globex,
        json!({ "id": acme_id, "expectedVersion": 1, "name": "Taken" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = delete(&app, &globex, acme_id).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(
        find(&catalogue(&app, &acme).await, "demo_requests"),
        &acme_kpi
    );
}

#[tokio::test]
async fn viewers_read_editors_change_admins_delete() {
    let app = TestApp::spawn().await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let body = mutate(
        &app,
        &viewer,
        "createKpiDefinition",
        &payload_selection(),
        base("demo_requests", "SUM"),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let kpi = create(&app, &editor, base("demo_requests", "SUM")).await;
    let id = kpi["id"].as_str().unwrap();
    assert_eq!(find(&catalogue(&app, &viewer).await, "demo_requests"), &kpi);

    let body = update(
        &app,
        &viewer,
        json!({ "id": id, "expectedVersion": 1, "name": "Demos" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    for token in [&viewer, &editor] {
        let body = delete(&app, token, id).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }
    assert_eq!(find(&catalogue(&app, &viewer).await, "demo_requests"), &kpi);
    let body = delete(&app, &admin, id).await;
    assert_eq!(
        body["data"]["deleteKpiDefinition"]["deletedId"], id,
        "{body}"
    );
    assert!(!keys_of(&catalogue(&app, &viewer).await).contains(&"demo_requests".to_owned()));
}

#[tokio::test]
async fn updates_are_versioned_and_an_unused_kpi_may_change_anything() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let kpi = create(&app, &token, base("demo_requests", "SUM")).await;
    let id = kpi["id"].as_str().unwrap();

    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 1, "name": "Demo requests",
                "description": "Forms sent from the demo page.", "unit": "RATIO",
                "direction": "LOWER_IS_BETTER" }),
    )
    .await;
    let changed = &body["data"]["updateKpiDefinition"]["kpiDefinition"];
    assert_eq!(
        changed,
        &json!({ "id": id, "key": "demo_requests", "name": "Demo requests",
                 "description": "Forms sent from the demo page.", "unit": "RATIO",
                 "direction": "LOWER_IS_BETTER", "aggregation": "SUM", "numeratorKey": null,
                 "denominatorKey": null, "scale": null, "offset": null, "isDerived": false,
                 "builtIn": false, "version": 2 }),
        "{body}"
    );
    // Stale version: CONFLICT, nothing changed.
    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 1, "name": "Stale" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(
        find(&catalogue(&app, &token).await, "demo_requests"),
        changed
    );

    // Unused: key and aggregation may change; null clears the description.
    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 2, "key": "demos", "aggregation": "LAST",
                "description": null }),
    )
    .await;
    let changed = &body["data"]["updateKpiDefinition"]["kpiDefinition"];
    assert_eq!(changed["key"], "demos", "{body}");
    assert_eq!(changed["aggregation"], "LAST");
    assert_eq!(changed["description"], "");
    assert_eq!(changed["version"], 3);

    // A base KPI turned into a ratio gets its formula; turned back, it loses it.
    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 3, "aggregation": "RATIO",
                "numeratorKey": "spend", "denominatorKey": "leads", "scale": "100" }),
    )
    .await;
    let changed = &body["data"]["updateKpiDefinition"]["kpiDefinition"];
    assert_eq!(
        (
            &changed["numeratorKey"],
            &changed["denominatorKey"],
            &changed["scale"],
            &changed["offset"]
        ),
        (&json!("spend"), &json!("leads"), &json!("100"), &json!("0")),
        "{body}"
    );
    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 4, "offset": "1.5", "scale": null }),
    )
    .await;
    let changed = &body["data"]["updateKpiDefinition"]["kpiDefinition"];
    assert_eq!(
        (&changed["scale"], &changed["offset"]),
        (&json!("1"), &json!("1.5"))
    );
    let body = update(
        &app,
        &token,
        json!({ "id": id, "expectedVersion": 5, "aggregation": "SUM" }),
    )
    .await;
    let changed = &body["data"]["updateKpiDefinition"]["kpiDefinition"];
    assert_eq!(
        (
            &changed["aggregation"],
            &changed["numeratorKey"],
            &changed["denominatorKey"],
            &changed["scale"]
        ),
        (&json!("SUM"), &Value::Null, &Value::Null, &Value::Null),
        "{body}"
    );
    assert_eq!(changed["version"], 6);
}

#[tokio::test]
async fn an_update_is_validated_like_a_creation_with_nothing_written() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    create(&app, &token, base("leads_won", "SUM")).await;
    let kpi = create(&app, &token, base("demo_requests", "SUM")).await;
    let id = kpi["id"].as_str().unwrap();
    let cases = [
        (json!({ "key": "Demo" }), vec!["input.key: INVALID"]),
        (json!({ "key": "leads_won" }), vec!["input.key: DUPLICATE"]),
        (json!({ "key": "clicks" }), vec!["input.key: DUPLICATE"]),
        (json!({ "name": "" }), vec!["input.name: REQUIRED"]),
        (json!({ "scale": "2" }), vec!["input.scale: INVALID"]),
        // Turning it into a ratio of itself is a cycle, under its old key or its new one.
        (
            json!({ "aggregation": "RATIO", "numeratorKey": "demo_requests",
                    "denominatorKey": "clicks" }),
            vec!["input.numeratorKey: CYCLE"],
        ),
        (
            json!({ "key": "demos", "aggregation": "RATIO", "numeratorKey": "clicks",
                    "denominatorKey": "demos" }),
            vec!["input.denominatorKey: CYCLE"],
        ),
        (
            json!({ "aggregation": "RATIO", "numeratorKey": "clicks" }),
            vec!["input.denominatorKey: REQUIRED"],
        ),
    ];
    for (changes, expected) in cases {
        let mut input = changes.clone();
        input["id"] = json!(id);
        input["expectedVersion"] = json!(1);
        let body = update(&app, &token, input).await;
        let payload = &body["data"]["updateKpiDefinition"];
        assert_eq!(payload["kpiDefinition"], Value::Null, "{body}");
        assert_eq!(user_errors(payload), expected, "{changes}");
    }
    assert_eq!(find(&catalogue(&app, &token).await, "demo_requests"), &kpi);
}

#[tokio::test]
async fn a_kpi_in_use_keeps_its_key_and_aggregation_and_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let demos = create(&app, &admin, base("demo_requests", "SUM")).await;
    let demos_id = demos["id"].as_str().unwrap();
    let per_demo = create(
        &app,
        &admin,
        ratio("cost_per_demo", "spend", "demo_requests"),
    )
    .await;
    let per_demo_id = per_demo["id"].as_str().unwrap();
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let objective = create_objective_on(&app, &admin, &plan, "cost_per_demo").await;
    let objective_id = objective["objective"]["id"].as_str().unwrap();

    // demo_requests is a component of cost_per_demo.
    let body = delete(&app, &admin, demos_id).await;
    let payload = &body["data"]["deleteKpiDefinition"];
    assert_eq!(payload["deletedId"], Value::Null, "{body}");
    assert_eq!(user_errors(payload), vec!["input.id: IN_USE"]);
    let message = payload["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("`cost_per_demo`"), "{message}");
    let body = update(
        &app,
        &admin,
        json!({ "id": demos_id, "expectedVersion": 1, "key": "demos", "aggregation": "LAST" }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["updateKpiDefinition"]),
        vec!["input.key: IN_USE", "input.aggregation: IN_USE"],
        "{body}"
    );
    // Its name may still change.
    let body = update(
        &app,
        &admin,
        json!({ "id": demos_id, "expectedVersion": 1, "name": "Demo requests" }),
    )
    .await;
    assert_eq!(
        body["data"]["updateKpiDefinition"]["kpiDefinition"]["version"], 2,
        "{body}"
    );

    // cost_per_demo measures an objective.
    let body = delete(&app, &admin, per_demo_id).await;
    assert_eq!(
        user_errors(&body["data"]["deleteKpiDefinition"]),
        vec!["input.id: IN_USE"],
        "{body}"
    );
    let body = update(
        &app,
        &admin,
        json!({ "id": per_demo_id, "expectedVersion": 1, "key": "cpd" }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["updateKpiDefinition"]),
        vec!["input.key: IN_USE"],
        "{body}"
    );
    let catalogue_now = catalogue(&app, &admin).await;
    assert_eq!(find(&catalogue_now, "cost_per_demo"), &per_demo);
    assert_eq!(find(&catalogue_now, "demo_requests")["version"], 2);

    // Once the objective is gone, the ratio can go, then its component.
    mutate_ok(
        &app,
        &admin,
        "deleteObjective",
        "deletedId userErrors { code }",
        json!({ "id": objective_id }),
    )
    .await;
    for id in [per_demo_id, demos_id] {
        let body = delete(&app, &admin, id).await;
        assert_eq!(
            body["data"]["deleteKpiDefinition"]["deletedId"], id,
            "{body}"
        );
        assert_eq!(
            node(&app, &admin, id, "... on KpiDefinition { key }").await,
            Value::Null
        );
    }
}

#[tokio::test]
async fn built_in_kpis_cannot_be_changed_or_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let before = catalogue(&app, &admin).await;
    let clicks = find(&before, "clicks");
    let id = clicks["id"].as_str().unwrap();
    let body = update(
        &app,
        &admin,
        json!({ "id": id, "expectedVersion": 1, "name": "Clicks!" }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["updateKpiDefinition"]),
        vec!["input.id: BUILT_IN"],
        "{body}"
    );
    let body = delete(&app, &admin, id).await;
    assert_eq!(
        user_errors(&body["data"]["deleteKpiDefinition"]),
        vec!["input.id: BUILT_IN"],
        "{body}"
    );
    assert_eq!(catalogue(&app, &admin).await, before);
    // An ID of another type is not a KPI at all.
    let plan = create_plan(&app, &admin, "Plan").await;
    let body = delete(&app, &admin, &plan).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

#[tokio::test]
async fn the_catalogue_costs_the_same_statements_for_few_or_many_tenant_kpis() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let query = "query($ids: [ID!]!) { kpiDefinitions { key builtIn version } \
                 nodes(ids: $ids) { ... on KpiDefinition { key builtIn version } } }";
    let first = create(&app, &token, base("kpi_1", "SUM")).await;
    let (few, _) = min_statements(&app, &token, query, json!({ "ids": [first["id"]] })).await;
    let mut ids = vec![first["id"].clone()];
    for index in 2..=6 {
        ids.push(create(&app, &token, base(&format!("kpi_{index}"), "SUM")).await["id"].clone());
    }
    let (many, data) = min_statements(&app, &token, query, json!({ "ids": ids })).await;
    assert_eq!(few, many, "statements grew with the number of KPIs");
    assert_eq!(data["nodes"].as_array().unwrap().len(), 6);
    assert!(
        data["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|kpi| kpi["builtIn"] == false)
    );
}

const COUNT_MEASUREMENTS: &str = "SELECT COUNT(*) FROM measurements";

fn measurement(kpi: &str, value: &str) -> Value {
    json!({ "kpiKey": kpi, "date": "2027-03-02", "value": value, "source": "crm" })
}

#[tokio::test]
async fn a_tenant_base_kpi_is_recorded_and_a_tenant_ratio_is_not() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let demos = create(&app, &token, base("demo_requests", "SUM")).await;
    create(
        &app,
        &token,
        ratio("cost_per_demo", "spend", "demo_requests"),
    )
    .await;

    let payload =
        record_measurements(&app, &token, json!([measurement("demo_requests", "7")])).await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    assert_eq!(payload["inserted"], 1);
    let id = payload["measurements"][0]["id"].as_str().unwrap();
    let read = node(
        &app,
        &token,
        id,
        "... on Measurement { value kpi { id key builtIn version } }",
    )
    .await;
    assert_eq!(
        read,
        json!({ "value": "7", "kpi": { "id": demos["id"], "key": "demo_requests",
                                       "builtIn": false, "version": 1 } })
    );

    let payload =
        record_measurements(&app, &token, json!([measurement("cost_per_demo", "3")])).await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.measurements.0.kpiKey: INVALID"]
    );
    assert_eq!(sql_integer(&app, COUNT_MEASUREMENTS).await, 1);

    // Another tenant has no such KPI.
    let other = app.token("globex", "editor");
    let payload =
        record_measurements(&app, &other, json!([measurement("demo_requests", "1")])).await;
    assert_eq!(
        user_errors(&payload),
        vec!["input.measurements.0.kpiKey: NOT_FOUND"]
    );
    assert_eq!(sql_integer(&app, COUNT_MEASUREMENTS).await, 1);
}

#[tokio::test]
async fn a_kpi_with_measurements_keeps_its_key_and_aggregation_and_stays() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let demos = create(&app, &admin, base("demo_requests", "SUM")).await;
    let id = demos["id"].as_str().unwrap();
    let payload =
        record_measurements(&app, &admin, json!([measurement("demo_requests", "7")])).await;
    assert_eq!(payload["inserted"], 1, "{payload}");

    let body = delete(&app, &admin, id).await;
    let payload = &body["data"]["deleteKpiDefinition"];
    assert_eq!(user_errors(payload), vec!["input.id: IN_USE"], "{body}");
    let message = payload["userErrors"][0]["message"].as_str().unwrap();
    assert!(message.contains("measurements"), "{message}");
    let body = update(
        &app,
        &admin,
        json!({ "id": id, "expectedVersion": 1, "key": "demos", "aggregation": "LAST" }),
    )
    .await;
    assert_eq!(
        user_errors(&body["data"]["updateKpiDefinition"]),
        vec!["input.key: IN_USE", "input.aggregation: IN_USE"],
        "{body}"
    );
    assert_eq!(
        find(&catalogue(&app, &admin).await, "demo_requests"),
        &demos
    );
    assert_eq!(sql_integer(&app, COUNT_MEASUREMENTS).await, 1);
}
