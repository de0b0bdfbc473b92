//! Tenant isolation is absolute: an object of another tenant behaves exactly like one that does
//! not exist — `node` and `nodes` give null, lists leave it out, mutations answer `NOT_FOUND`,
//! links to it are refused field by field, and nothing of it changes.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_campaign, create_objective, create_persona, create_plan, error_code, mutate,
    mutate_ok, node, user_errors,
};

/// Acme's objects, created through the API by an acme admin.
struct Acme {
    token: String,
    persona: String,
    plan: String,
    campaign: String,
    objective: String,
}

async fn acme_world(app: &TestApp) -> Acme {
    let token = app.token("acme", "admin");
    let persona = create_persona(app, &token, "Acme Sophie").await;
    let plan_payload = mutate_ok(
        app,
        &token,
        "createPlan",
        "plan { id } userErrors { field code }",
        json!({ "name": "Acme plan 2027", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": "50000", "personaIds": [persona] }),
    )
    .await;
    let plan = plan_payload["plan"]["id"].as_str().unwrap().to_owned();
    let campaign = create_campaign(app, &token, &plan, "Acme spring", &[&persona]).await;
    let objective = create_objective(app, &token, &plan, "Acme CPA under 20").await;
    Acme {
        token,
        persona,
        plan,
        campaign,
        objective,
    }
}

/// What one entity's probe needs: how acme reads it, and how globex would change and delete it.
struct Probe<'a> {
    type_name: &'a str,
    id: &'a str,
    /// Fields read by acme before and after (must include `version`).
    fields: &'a str,
    update: &'a str,
    update_input: Value,
    update_selection: &'a str,
    delete: &'a str,
}

/// Runs every read and write a foreign tenant could try on one of acme's objects, and checks
/// that each behaves as for a missing object and that acme's object is left as it was.
async fn probe_from_globex(app: &TestApp, acme: &Acme, probe: Probe<'_>) {
    let globex = app.token("globex", "admin");
    let selection = format!(
        "__typename ... on {} {{ id {} }}",
        probe.type_name, probe.fields
    );
    let before = node(app, &acme.token, probe.id, &selection).await;
    assert_eq!(
        before["__typename"], probe.type_name,
        "acme reads its own object"
    );
    assert_eq!(before["id"], probe.id);
    let version_before = before["version"].as_i64().expect("a version");

    // node → null, without an error.
    let body = app
        .gql(
            &globex,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": probe.id }),
        )
        .await;
    assert!(body.get("errors").is_none(), "node is not an error: {body}");
    assert_eq!(body["data"]["node"], Value::Null, "{}", probe.type_name);

    // nodes → null in place, around globex's own visible objects.
    let globex_tenant = app
        .data(&globex, "{ viewer { tenant { id } } }", json!({}))
        .await["viewer"]["tenant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let data = app
        .data(
            &globex,
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": [globex_tenant, probe.id, globex_tenant, probe.id] }),
        )
        .await;
    let nodes = data["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 4);
    assert_eq!(nodes[0]["id"], globex_tenant.as_str());
    assert_eq!(
        nodes[1],
        Value::Null,
        "{} leaks through nodes",
        probe.type_name
    );
    assert_eq!(nodes[2]["id"], globex_tenant.as_str());
    assert_eq!(nodes[3], Value::Null);

    // update → NOT_FOUND, no payload.
    let mut input = probe.update_input.clone();
    input["id"] = json!(probe.id);
    let body = mutate(app, &globex, probe.update, probe.update_selection, input).await;
    assert_eq!(
        error_code(&body),
        Some("NOT_FOUND"),
        "{}: {body}",
        probe.update
    );
    assert_eq!(body["data"], Value::Null, "{body}");

    // delete → NOT_FOUND.
    let body = mutate(
        app,
        &globex,
        probe.delete,
        "deletedId userErrors { code }",
        json!({ "id": probe.id }),
    )
    .await;
    assert_eq!(
        error_code(&body),
        Some("NOT_FOUND"),
        "{}: {body}",
        probe.delete
    );

    // Acme still sees the object, unchanged, at the same version.
    let after = node(app, &acme.token, probe.id, &selection).await;
    assert_eq!(
        after, before,
        "{} changed under a foreign tenant",
        probe.type_name
    );
    assert_eq!(after["version"].as_i64(), Some(version_before));

    // Globex's lists show nothing of acme.
    assert_globex_sees_nothing(app, &globex).await;
}

async fn assert_globex_sees_nothing(app: &TestApp, globex: &str) {
    let data = app
        .data(
            globex,
            "{ plans(first: 100) { totalCount edges { node { id } } }
               acme: plans(filter: { nameContains: \"acme\" }) { totalCount nodes { id } }
               personas(first: 100) { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["plans"]["totalCount"], 0, "{data}");
    assert_eq!(data["plans"]["edges"], json!([]));
    assert_eq!(data["acme"]["totalCount"], 0);
    assert_eq!(data["acme"]["nodes"], json!([]));
    assert_eq!(data["personas"]["totalCount"], 0, "{data}");
    assert_eq!(data["personas"]["edges"], json!([]));
}

#[tokio::test]
async fn a_plan_of_another_tenant_is_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    probe_from_globex(
        &app,
        &acme,
        Probe {
            type_name: "Plan",
            id: &acme.plan,
            fields: "name budget periodStart periodEnd status version personas { id } campaigns { totalCount } objectives { id }",
            update: "updatePlan",
            update_input: json!({ "expectedVersion": 1, "name": "Hijacked", "budget": "1" }),
            update_selection: "plan { id } userErrors { code }",
            delete: "deletePlan",
        },
    )
    .await;
    // The `plan` query is as blind as `node`.
    let globex = app.token("globex", "admin");
    let body = app
        .gql(
            &globex,
            "query($id: ID!) { plan(id: $id) { id name } }",
            json!({ "id": acme.plan }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["plan"], Value::Null);
    // Acme's campaign and objective survived the attempted delete of their plan.
    let data = app
        .data(
            &acme.token,
            "query($id: ID!) { plan(id: $id) { name campaigns { nodes { id } } objectives { id } } }",
            json!({ "id": acme.plan }),
        )
        .await;
    assert_eq!(data["plan"]["name"], "Acme plan 2027");
    assert_eq!(
        data["plan"]["campaigns"]["nodes"][0]["id"],
        acme.campaign.as_str()
    );
    assert_eq!(data["plan"]["objectives"][0]["id"], acme.objective.as_str());
}

#[tokio::test]
async fn a_persona_of_another_tenant_is_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    probe_from_globex(
        &app,
        &acme,
        Probe {
            type_name: "Persona",
            id: &acme.persona,
            fields: "name ageMin ageMax needs version",
            update: "updatePersona",
            update_input: json!({ "expectedVersion": 1, "name": "Hijacked", "ageMin": 1 }),
            update_selection: "persona { id } userErrors { code }",
            delete: "deletePersona",
        },
    )
    .await;
    // The persona is still targeted by acme's plan and campaign.
    let data = app
        .data(
            &acme.token,
            "query($id: ID!) { plan(id: $id) { personas { id } campaigns { nodes { personas { id } } } } }",
            json!({ "id": acme.plan }),
        )
        .await;
    assert_eq!(data["plan"]["personas"][0]["id"], acme.persona.as_str());
    assert_eq!(
        data["plan"]["campaigns"]["nodes"][0]["personas"][0]["id"],
        acme.persona.as_str()
    );
}

#[tokio::test]
async fn a_campaign_of_another_tenant_is_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    probe_from_globex(
        &app,
        &acme,
        Probe {
            type_name: "Campaign",
            id: &acme.campaign,
            fields: "name budget startDate endDate levers status version personas { id } plan { id }",
            update: "updateCampaign",
            update_input: json!({ "expectedVersion": 1, "name": "Hijacked", "levers": ["PR"] }),
            update_selection: "campaign { id } userErrors { code }",
            delete: "deleteCampaign",
        },
    )
    .await;
}

#[tokio::test]
async fn an_objective_of_another_tenant_is_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    probe_from_globex(
        &app,
        &acme,
        Probe {
            type_name: "Objective",
            id: &acme.objective,
            fields: "title target baseline deadline version kpi { key } plan { id }",
            update: "updateObjective",
            update_input: json!({ "expectedVersion": 1, "title": "Hijacked", "target": "1" }),
            update_selection: "objective { id } userErrors { code }",
            delete: "deleteObjective",
        },
    )
    .await;
}

#[tokio::test]
async fn the_kpi_catalogue_is_shared_but_nothing_else_is() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    let globex = app.token("globex", "admin");
    let query = "{ kpiDefinitions { id key } }";
    let for_acme = app.data(&acme.token, query, json!({})).await;
    let for_globex = app.data(&globex, query, json!({})).await;
    assert!(
        for_acme["kpiDefinitions"]
            .as_array()
            .is_some_and(|list| list.iter().any(|kpi| kpi["key"] == "cpa")),
        "{for_acme}"
    );
    assert_eq!(for_acme, for_globex);
    assert_globex_sees_nothing(&app, &globex).await;
}

#[tokio::test]
async fn the_tenant_of_another_tenant_resolves_to_null() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let globex = app.token("globex", "admin");
    let query = "{ viewer { tenant { id key } } }";
    let acme_tenant = app.data(&acme, query, json!({})).await["viewer"]["tenant"].clone();
    let globex_tenant = app.data(&globex, query, json!({})).await["viewer"]["tenant"].clone();
    assert_eq!(acme_tenant["key"], "acme");
    assert_eq!(globex_tenant["key"], "globex");
    assert_ne!(acme_tenant["id"], globex_tenant["id"]);
    let acme_id = acme_tenant["id"].as_str().unwrap();
    let globex_id = globex_tenant["id"].as_str().unwrap();

    let own = node(&app, &acme, acme_id, "__typename ... on Tenant { key }").await;
    assert_eq!(own, json!({ "__typename": "Tenant", "key": "acme" }));
    assert_eq!(node(&app, &acme, globex_id, "id").await, Value::Null);
    assert_eq!(node(&app, &globex, acme_id, "id").await, Value::Null);
    let data = app
        .data(
            &globex,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [acme_id, globex_id] }),
        )
        .await;
    assert_eq!(data["nodes"], json!([null, { "id": globex_id }]));
}

#[tokio::test]
async fn campaigns_and_objectives_cannot_be_added_to_a_plan_of_another_tenant() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    let globex = app.token("globex", "admin");

    let body = mutate(
        &app,
        &globex,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "planId": acme.plan, "name": "Intruder", "kind": "AWARENESS", "levers": ["SEO"],
                "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "10" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    let body = mutate(
        &app,
        &globex,
        "createObjective",
        "objective { id } userErrors { field code }",
        json!({ "planId": acme.plan, "title": "Intruder", "kind": "TRAFFIC", "kpiKey": "clicks",
                "target": "100", "deadline": "2027-06-30" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    let data = app
        .data(
            &acme.token,
            "query($id: ID!) { plan(id: $id) { version campaigns { totalCount nodes { id } } objectives { id } } }",
            json!({ "id": acme.plan }),
        )
        .await;
    assert_eq!(data["plan"]["version"], 1);
    assert_eq!(data["plan"]["campaigns"]["totalCount"], 1);
    assert_eq!(
        data["plan"]["campaigns"]["nodes"],
        json!([{ "id": acme.campaign }])
    );
    assert_eq!(
        data["plan"]["objectives"],
        json!([{ "id": acme.objective }])
    );
}

#[tokio::test]
async fn personas_of_another_tenant_cannot_be_targeted() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    let globex = app.token("globex", "admin");
    let foreign = acme.persona.as_str();

    // createPlan: refused field by field, nothing written.
    let payload = mutate_ok(
        &app,
        &globex,
        "createPlan",
        "plan { id } userErrors { field code message }",
        json!({ "name": "Globex 2027", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": "1000", "personaIds": [foreign] }),
    )
    .await;
    assert_eq!(payload["plan"], Value::Null);
    assert_eq!(user_errors(&payload), vec!["input.personaIds.0: NOT_FOUND"]);
    assert_eq!(
        payload["userErrors"][0]["field"],
        json!(["input", "personaIds", "0"])
    );
    assert_globex_sees_nothing(&app, &globex).await;

    // Globex's own plan, persona and campaign, to try the other mutations on.
    let own_persona = create_persona(&app, &globex, "Globex Marc").await;
    let own_plan = create_plan(&app, &globex, "Globex plan").await;
    let own_campaign =
        create_campaign(&app, &globex, &own_plan, "Globex spring", &[&own_persona]).await;

    // createCampaign.
    let payload = mutate_ok(
        &app,
        &globex,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "planId": own_plan, "name": "Foreign target", "kind": "AWARENESS",
                "personaIds": [foreign], "startDate": "2027-03-01", "endDate": "2027-03-31",
                "budget": "10" }),
    )
    .await;
    assert_eq!(payload["campaign"], Value::Null);
    assert_eq!(user_errors(&payload), vec!["input.personaIds.0: NOT_FOUND"]);

    // updatePlan: the foreign ID is reported at its index, the own one is fine.
    let payload = mutate_ok(
        &app,
        &globex,
        "updatePlan",
        "plan { id } userErrors { field code }",
        json!({ "id": own_plan, "expectedVersion": 1, "name": "Renamed",
                "personaIds": [own_persona, foreign] }),
    )
    .await;
    assert_eq!(payload["plan"], Value::Null);
    assert_eq!(user_errors(&payload), vec!["input.personaIds.1: NOT_FOUND"]);

    // updateCampaign.
    let payload = mutate_ok(
        &app,
        &globex,
        "updateCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "id": own_campaign, "expectedVersion": 1, "personaIds": [foreign] }),
    )
    .await;
    assert_eq!(payload["campaign"], Value::Null);
    assert_eq!(user_errors(&payload), vec!["input.personaIds.0: NOT_FOUND"]);

    // Nothing was written: globex's plan and campaign are as created, with one campaign.
    let data = app
        .data(
            &globex,
            "query($id: ID!) { plan(id: $id) { name version personas { id }
                campaigns { totalCount nodes { id version personas { id } } } } }",
            json!({ "id": own_plan }),
        )
        .await;
    assert_eq!(
        data["plan"],
        json!({ "name": "Globex plan", "version": 1, "personas": [],
                "campaigns": { "totalCount": 1, "nodes": [
                    { "id": own_campaign, "version": 1, "personas": [{ "id": own_persona }] } ] } })
    );
    // And acme's persona is still acme's alone, unchanged.
    let persona = node(
        &app,
        &acme.token,
        foreign,
        "... on Persona { name version }",
    )
    .await;
    assert_eq!(persona, json!({ "name": "Acme Sophie", "version": 1 }));
}

#[tokio::test]
async fn a_global_id_of_the_wrong_type_is_not_found() {
    let app = TestApp::spawn().await;
    let acme = acme_world(&app).await;
    let token = acme.token.as_str();

    // Mutations given an ID of another type: NOT_FOUND.
    let attempts = [
        (
            "updatePlan",
            "plan { id }",
            json!({ "id": acme.campaign, "expectedVersion": 1, "name": "x" }),
        ),
        (
            "updateCampaign",
            "campaign { id }",
            json!({ "id": acme.plan, "expectedVersion": 1, "name": "x" }),
        ),
        (
            "updatePersona",
            "persona { id }",
            json!({ "id": acme.objective, "expectedVersion": 1, "name": "x" }),
        ),
        (
            "updateObjective",
            "objective { id }",
            json!({ "id": acme.persona, "expectedVersion": 1, "title": "x" }),
        ),
        ("deletePlan", "deletedId", json!({ "id": acme.persona })),
        ("deletePersona", "deletedId", json!({ "id": acme.plan })),
        (
            "deleteCampaign",
            "deletedId",
            json!({ "id": acme.objective }),
        ),
        (
            "deleteObjective",
            "deletedId",
            json!({ "id": acme.campaign }),
        ),
        (
            "createCampaign",
            "campaign { id }",
            json!({ "planId": acme.persona, "name": "x", "kind": "AWARENESS",
                    "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1" }),
        ),
        (
            "createObjective",
            "objective { id }",
            json!({ "planId": acme.campaign, "title": "x", "kind": "AWARENESS", "kpiKey": "clicks",
                    "target": "1", "deadline": "2027-03-01" }),
        ),
    ];
    for (field, selection, input) in attempts {
        let body = mutate(&app, token, field, selection, input).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{field}: {body}");
    }

    // A plan ID among persona IDs is a missing persona, at its index.
    let payload = mutate_ok(
        &app,
        token,
        "createPlan",
        "plan { id } userErrors { field code }",
        json!({ "name": "Mixed", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                "budget": "1", "personaIds": [acme.persona, acme.plan] }),
    )
    .await;
    assert_eq!(user_errors(&payload), vec!["input.personaIds.1: NOT_FOUND"]);

    // `plan(id:)` with a campaign's ID, and IDs that are not IDs at all: null.
    let data = app
        .data(
            token,
            "query($c: ID!) { plan(id: $c) { id } garbage: node(id: \"not-an-id\") { id }
               empty: node(id: \"\") { id } }",
            json!({ "c": acme.campaign }),
        )
        .await;
    assert_eq!(
        data,
        json!({ "plan": null, "garbage": null, "empty": null })
    );

    // Everything is still there, at version 1; the refused plan was not created.
    let data = app
        .data(
            token,
            "query($ids: [ID!]!) { plans { totalCount } nodes(ids: $ids) {
                ... on Plan { version } ... on Persona { version }
                ... on Campaign { version } ... on Objective { version } } }",
            json!({ "ids": [acme.plan, acme.persona, acme.campaign, acme.objective] }),
        )
        .await;
    assert_eq!(data["plans"]["totalCount"], 1);
    assert_eq!(
        data["nodes"],
        json!([{ "version": 1 }, { "version": 1 }, { "version": 1 }, { "version": 1 }])
    );
}
