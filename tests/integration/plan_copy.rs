//! `copyPlan`: every kind of row copied into the new period under new ids, links pointing at
//! the copies, statuses reset, the source untouched; roles and tenancy.

use serde_json::{Value, json};

use sea_orm::ConnectionTrait;

use crate::{
    document::full_plan,
    support::{
        TestApp, create_action, create_campaign, create_plan, error_code, mutate, on_postgres,
    },
};

const PLAN_QUERY: &str = "query($id: ID!) { node(id: $id) { ... on Plan {
    id name description currency budget status version periodStart periodEnd
    personas { id }
    marketTrends { id statement impact description source version }
    competitors { id name website positioning levers strengths weaknesses strategyNotes version }
    swotItems { id quadrant statement impact version }
    pestFactors { id category statement impact likelihood version }
    brand { id values mission vision tone currentPerception positioningStatement version }
    marketingMix { dimension text }
    segments { id name criteria estimatedSize targeted positioning version personas { id } }
    objectives { id title kind kpi { key } baseline target deadline statement rationale version }
    leverAllocations { id lever budget priority rationale version }
    leverInteractions { id fromLever toLever kind note version }
    campaigns(first: 50) { edges { node { id name kind levers status startDate endDate budget
        utmCode version personas { id } objectives { id } parent { id } plan { id } } } }
    actions(first: 50) { edges { node { id title actionType lever status startDate dueDate
        budget actualCost impact confidence ease version campaign { id } plan { id } } } }
    contentItems(first: 50) { edges { node { id message format lever funnelStage status
        publishDate version action { id } persona { id } plan { id } } } }
} } }";

async fn read_plan(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(token, PLAN_QUERY, json!({ "id": plan })).await["node"].clone()
}

/// The nodes of a connection field.
fn nodes(plan: &Value, field: &str) -> Vec<Value> {
    plan[field]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {plan}"))
        .iter()
        .map(|edge| edge["node"].clone())
        .collect()
}

/// The row of `rows` whose `key` is `value`.
fn by(rows: &[Value], key: &str, value: &str) -> Value {
    rows.iter()
        .find(|row| row[key] == value)
        .unwrap_or_else(|| panic!("no row with {key} = {value}"))
        .clone()
}

/// A copy of `value` without `id`, `version` and `plan` fields at any depth.
fn without_identity(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(key, _)| !matches!(key.as_str(), "id" | "version" | "plan"))
                .map(|(key, value)| (key.clone(), without_identity(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_identity).collect()),
        other => other.clone(),
    }
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|row| row["id"].as_str().unwrap().to_owned())
        .collect()
}

fn list(plan: &Value, field: &str) -> Vec<Value> {
    plan[field].as_array().cloned().unwrap_or_default()
}

async fn copy(app: &TestApp, token: &str, plan: &str, name: &str, start: &str) -> Value {
    mutate(
        app,
        token,
        "copyPlan",
        "plan { id } userErrors { field code }",
        json!({ "planId": plan, "name": name, "periodStart": start }),
    )
    .await
}

#[tokio::test]
async fn a_copy_duplicates_every_row_into_the_next_year() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = full_plan(&app, &token, 2028).await;
    // 29 February 2028 has no twin in 2029.
    let leap = create_action(
        &app,
        &token,
        &fixture.plan,
        json!({ "title": "Leap day post", "startDate": "2028-02-29", "dueDate": "2028-02-29" }),
    )
    .await;
    let source_before = read_plan(&app, &token, &fixture.plan).await;

    let body = copy(&app, &token, &fixture.plan, "Plan 2029", "2029-01-01").await;
    assert!(body.get("errors").is_none(), "{body}");
    let payload = &body["data"]["copyPlan"];
    assert_eq!(payload["userErrors"], json!([]));
    let copy_id = payload["plan"]["id"].as_str().unwrap().to_owned();
    assert_ne!(copy_id, fixture.plan);

    // The source is unchanged.
    assert_eq!(read_plan(&app, &token, &fixture.plan).await, source_before);
    let source = source_before;
    let copied = read_plan(&app, &token, &copy_id).await;

    // The plan itself: same description, currency, budget and personas; new name and period;
    // back to DRAFT at version 1.
    assert_eq!(copied["name"], "Plan 2029");
    assert_eq!(copied["description"], "Our roadmap");
    assert_eq!(copied["currency"], "EUR");
    assert_eq!(copied["budget"], source["budget"]);
    assert_eq!(source["status"], "ACTIVE");
    assert_eq!(copied["status"], "DRAFT");
    assert_eq!(copied["version"], 1);
    assert_eq!(copied["periodStart"], "2029-01-01");
    assert_eq!(copied["periodEnd"], "2029-12-31");
    assert_eq!(copied["personas"], json!([{ "id": fixture.alice }]));

    // The strategy layer, objectives and levers: the same rows under new ids, at version 1.
    for field in [
        "marketTrends",
        "competitors",
        "swotItems",
        "pestFactors",
        "segments",
        "leverAllocations",
        "leverInteractions",
        "objectives",
    ] {
        let (from, to) = (list(&source, field), list(&copied, field));
        assert!(!from.is_empty(), "the fixture has {field}");
        assert_eq!(from.len(), to.len(), "{field}");
        for id in ids(&to) {
            assert!(!ids(&from).contains(&id), "{field}: {id} is an original");
        }
        assert!(to.iter().all(|row| row["version"] == 1), "{field}");
        if field == "objectives" {
            continue;
        }
        assert_eq!(
            without_identity(&json!(from)),
            without_identity(&json!(to)),
            "{field}"
        );
    }
    assert_eq!(
        without_identity(&copied["brand"]),
        without_identity(&source["brand"])
    );
    assert_ne!(copied["brand"]["id"], source["brand"]["id"]);
    assert_eq!(copied["marketingMix"], source["marketingMix"]);
    let mut segment_personas: Vec<String> = list(&copied, "segments")[0]["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|persona| persona["id"].as_str().unwrap().to_owned())
        .collect();
    segment_personas.sort();
    let mut expected_personas = vec![fixture.alice.clone(), fixture.bob.clone()];
    expected_personas.sort();
    assert_eq!(segment_personas, expected_personas);

    // The objective: same SMART fields, deadline moved a year (28 February stays 28 February).
    let objective = &list(&copied, "objectives")[0];
    assert_eq!(objective["title"], "Lower CPA");
    assert_eq!(objective["kpi"]["key"], "cpa");
    assert_eq!(objective["statement"], "Cut acquisition cost");
    assert_eq!(objective["rationale"], "Benchmarks show 20");
    assert_eq!(objective["deadline"], "2029-02-28");
    assert_ne!(objective["id"], fixture.objective.as_str());

    // Campaigns: dates moved, PLANNED, links pointing at the copies.
    let campaigns = nodes(&copied, "campaigns");
    assert_eq!(campaigns.len(), 2);
    let spring = by(&campaigns, "name", "Spring | Launch");
    let retargeting = by(&campaigns, "name", "Spring retargeting");
    for campaign in [&spring, &retargeting] {
        assert_eq!(campaign["status"], "PLANNED");
        assert_eq!(campaign["version"], 1);
        assert_eq!(campaign["plan"]["id"], copy_id.as_str());
        assert_ne!(campaign["id"], fixture.spring.as_str());
        assert_ne!(campaign["id"], fixture.retargeting.as_str());
    }
    assert_eq!(spring["startDate"], "2029-03-01");
    assert_eq!(spring["endDate"], "2029-03-31");
    assert_eq!(spring["levers"], json!(["SEO", "SEA"]));
    assert_eq!(spring["budget"], "1000.00");
    assert_eq!(spring["utmCode"], "spring-launch");
    assert_eq!(spring["personas"], json!([{ "id": fixture.alice }]));
    assert_eq!(spring["objectives"], json!([{ "id": objective["id"] }]));
    assert_eq!(spring["parent"], Value::Null);
    assert_eq!(retargeting["parent"], json!({ "id": spring["id"] }));
    assert_eq!(retargeting["startDate"], "2029-03-15");
    assert_eq!(retargeting["endDate"], "2029-12-31");
    assert_eq!(retargeting["levers"], json!(["SOCIAL_ADS"]));

    // Actions: dates moved (29 February lands on the 28th), TODO, no actual cost, linked to the
    // copied campaigns.
    let actions = nodes(&copied, "actions");
    assert_eq!(actions.len(), 4);
    for action in &actions {
        assert_eq!(action["status"], "TODO");
        assert_eq!(action["actualCost"], "0.00");
        assert_eq!(action["version"], 1);
        assert_eq!(action["plan"]["id"], copy_id.as_str());
        for original in [&fixture.guide, &fixture.newsletter, &fixture.ads, &leap] {
            assert_ne!(action["id"], original.as_str());
        }
    }
    let guide = by(&actions, "title", "Write guide");
    assert_eq!(guide["campaign"], json!({ "id": spring["id"] }));
    assert_eq!(
        (guide["startDate"].as_str(), guide["dueDate"].as_str()),
        (Some("2029-03-01"), Some("2029-03-31"))
    );
    assert_eq!(guide["budget"], "1000.00");
    let ads = by(&actions, "title", "Retarget ads");
    assert_eq!(ads["campaign"], json!({ "id": retargeting["id"] }));
    assert_eq!(
        (ads["startDate"].as_str(), ads["dueDate"].as_str()),
        (Some("2029-04-02"), Some("2029-12-31"))
    );
    let newsletter = by(&actions, "title", "Newsletter");
    assert_eq!(newsletter["campaign"], Value::Null);
    let leap_copy = by(&actions, "title", "Leap day post");
    assert_eq!(
        (
            leap_copy["startDate"].as_str(),
            leap_copy["dueDate"].as_str()
        ),
        (Some("2029-02-28"), Some("2029-02-28"))
    );

    // Content: IDEA, published on the same day a year later, linked to the copied action.
    let content = nodes(&copied, "contentItems");
    assert_eq!(content.len(), 1);
    assert_eq!(content[0]["status"], "IDEA");
    assert_eq!(content[0]["publishDate"], "2029-12-31");
    assert_eq!(content[0]["action"], json!({ "id": guide["id"] }));
    assert_eq!(content[0]["persona"], json!({ "id": fixture.alice }));
    assert_ne!(content[0]["id"], fixture.content.as_str());

    // The source's rows still point at the source's rows.
    let source_actions = nodes(&source, "actions");
    assert_eq!(
        by(&source_actions, "title", "Write guide")["campaign"],
        json!({ "id": fixture.spring })
    );
    assert_eq!(nodes(&source, "contentItems")[0]["status"], "SCHEDULED");
}

#[tokio::test]
async fn a_start_on_another_day_of_the_month_moves_every_date_by_the_same_days() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let plan = create_plan(&app, &token, "Plan 2027").await;
    create_campaign(&app, &token, &plan, "March", &[]).await;
    create_action(
        &app,
        &token,
        &plan,
        json!({ "startDate": "2027-12-31", "dueDate": "2027-12-31" }),
    )
    .await;
    // 2027-01-01 → 2027-02-10 is 40 days.
    let body = copy(&app, &token, &plan, "Shifted", "2027-02-10").await;
    let copy_id = body["data"]["copyPlan"]["plan"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let copied = read_plan(&app, &token, &copy_id).await;
    assert_eq!(copied["periodStart"], "2027-02-10");
    assert_eq!(
        copied["periodEnd"], "2028-02-09",
        "364 days after the start, as before"
    );
    let campaign = &nodes(&copied, "campaigns")[0];
    assert_eq!(campaign["startDate"], "2027-04-10");
    assert_eq!(campaign["endDate"], "2027-05-10");
    let action = &nodes(&copied, "actions")[0];
    assert_eq!(action["startDate"], "2028-02-09");
}

#[tokio::test]
async fn copies_are_refused_to_viewers_other_tenants_and_bad_input_with_nothing_written() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let viewer = app.token("acme", "viewer");
    let globex = app.token("globex", "editor");
    let plan = create_plan(&app, &editor, "Acme plan").await;
    create_campaign(&app, &editor, &plan, "March", &[]).await;
    let globex_plan = create_plan(&app, &globex, "Globex plan").await;
    let count = |token: String| {
        let app = &app;
        async move {
            app.data(&token, "{ plans { totalCount } }", json!({}))
                .await["plans"]["totalCount"]
                .as_u64()
                .unwrap()
        }
    };

    let body = copy(&app, &viewer, &plan, "Copy", "2028-01-01").await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = copy(&app, &editor, &globex_plan, "Copy", "2028-01-01").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = copy(&app, &globex, &plan, "Copy", "2028-01-01").await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    for bad in [
        "garbage".to_owned(),
        crate::support::create_persona(&app, &editor, "P").await,
    ] {
        let body = copy(&app, &editor, &bad, "Copy", "2028-01-01").await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    let body = copy(&app, &editor, &plan, "   ", "2028-01-01").await;
    assert_eq!(
        crate::support::user_errors(&body["data"]["copyPlan"]),
        vec!["input.name: REQUIRED"]
    );
    assert_eq!(body["data"]["copyPlan"]["plan"], Value::Null);
    assert_eq!(count(editor.clone()).await, 1);
    assert_eq!(count(globex.clone()).await, 1);
    let campaigns = app
        .data(
            &editor,
            "{ campaigns(first: 50) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(campaigns["campaigns"]["totalCount"], 1, "{campaigns}");

    // An ADMIN may copy too; the copy is the tenant's own.
    let admin = app.token("acme", "admin");
    let body = copy(&app, &admin, &plan, "Copy", "2028-01-01").await;
    assert_eq!(body["data"]["copyPlan"]["userErrors"], json!([]), "{body}");
    assert_eq!(count(editor).await, 2);
    assert_eq!(count(globex).await, 1);
}

#[tokio::test]
async fn a_failure_while_copying_writes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = full_plan(&app, &token, 2027).await;
    // Content items are the last rows a copy inserts: make that insert fail, after every other
    // row of the copy was written in the transaction.
    let database = app.app.database();
    let statements: &[&str] = if on_postgres() {
        &[
            "CREATE FUNCTION refuse_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END; $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_content BEFORE INSERT ON content_items FOR EACH ROW EXECUTE FUNCTION refuse_insert()",
        ]
    } else {
        &[
            "CREATE TRIGGER refuse_content BEFORE INSERT ON content_items BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ]
    };
    for statement in statements {
        database.execute_unprepared(statement).await.unwrap();
    }
    let totals = "{ plans { totalCount } campaigns(first: 1) { totalCount } \
        actions(first: 1) { totalCount } personas { totalCount } }";
    let before = app.data(&token, totals, json!({})).await;

    let body = copy(&app, &token, &fixture.plan, "Copy", "2028-01-01").await;
    assert_eq!(error_code(&body), Some("INTERNAL_SERVER_ERROR"), "{body}");
    assert!(
        !body.to_string().contains("injected"),
        "no internal detail leaks: {body}"
    );
    assert_eq!(app.data(&token, totals, json!({})).await, before);
    assert_eq!(before["plans"]["totalCount"], 1);
}
