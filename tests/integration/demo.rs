//! The demo tenant (`levier seed-demo`): the seeding writes a complete plan through the domain
//! layer, GraphQL serves it to the tenant and to no one else, and seeding again is refused
//! unless the old demo plan is replaced.

use std::collections::{BTreeMap, BTreeSet};

use levier::demo::{self, SeedError, SeedOptions};
use serde_json::{Value, json};

use crate::support::{TestApp, decimal_of};

const YEAR: i32 = 2027;

fn options(replace: bool) -> SeedOptions {
    SeedOptions {
        year: Some(YEAR),
        replace,
        measured_until: chrono::NaiveDate::from_ymd_opt(YEAR, 3, 31),
    }
}

async fn seed(app: &TestApp, tenant: &str, replace: bool) -> Result<demo::SeedSummary, SeedError> {
    demo::seed(app.app.database(), tenant, options(replace)).await
}

fn strings<'a>(values: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    values
        .into_iter()
        .map(|value| value.as_str().unwrap_or_default().to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn list(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
}

const PLANS: &str = "{ plans(first: 10) { totalCount nodes { id name periodStart periodEnd currency budget status } } }";

async fn the_plan(app: &TestApp, token: &str) -> Value {
    let data = app.data(token, PLANS, json!({})).await;
    assert_eq!(data["plans"]["totalCount"], 1, "{data}");
    data["plans"]["nodes"][0].clone()
}

#[tokio::test]
async fn the_demo_plan_is_complete_through_graphql() {
    let app = TestApp::spawn().await;
    let summary = seed(&app, "demo", false).await.unwrap();
    assert_eq!(summary.replaced_plans, 0);
    assert_eq!(summary.personas, 3);
    assert_eq!(summary.personas_created, 3);
    let token = app.token("demo", "viewer");

    let plan = the_plan(&app, &token).await;
    assert!(
        plan["name"].as_str().unwrap().contains("Maison Lumière"),
        "{plan}"
    );
    assert!(plan["name"].as_str().unwrap().ends_with("2027"));
    assert_eq!(plan["periodStart"], "2027-01-01");
    assert_eq!(plan["periodEnd"], "2027-12-31");
    assert_eq!(plan["currency"], "EUR");
    assert_eq!(plan["status"], "ACTIVE");
    let plan_id = plan["id"].as_str().unwrap().to_owned();

    // Strategy: personas with full profiles, SWOT, PEST, trends, competitors, brand, mix, segments.
    let strategy = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) {
                personas { name summary ageMin ageMax gender location occupation incomeBand education
                           behaviors values interests lifestyle goals motivations needs painPoints
                           objections preferredLevers }
                swotItems { quadrant statement impact }
                pestFactors { category statement impact likelihood }
                marketTrends { statement }
                competitors { name website levers strengths weaknesses }
                brand { mission vision tone positioningStatement values currentPerception }
                marketingMix { dimension text }
                segments { name targeted criteria positioning personas { name } }
            } }",
            json!({ "id": plan_id }),
        )
        .await;
    let plan = &strategy["plan"];
    let personas = list(&plan["personas"]);
    assert_eq!(personas.len(), 3);
    for persona in personas {
        for field in [
            "summary",
            "ageMin",
            "ageMax",
            "gender",
            "location",
            "occupation",
            "incomeBand",
            "education",
            "lifestyle",
        ] {
            assert!(!persona[field].is_null(), "{field} of {persona}");
        }
        for field in [
            "behaviors",
            "values",
            "interests",
            "goals",
            "motivations",
            "needs",
            "painPoints",
            "objections",
            "preferredLevers",
        ] {
            assert!(!list(&persona[field]).is_empty(), "{field} of {persona}");
        }
    }
    let mut quadrants: BTreeMap<String, usize> = BTreeMap::new();
    for item in list(&plan["swotItems"]) {
        *quadrants
            .entry(item["quadrant"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    for quadrant in ["STRENGTH", "WEAKNESS", "OPPORTUNITY", "THREAT"] {
        assert!(
            quadrants.get(quadrant).copied().unwrap_or(0) >= 2,
            "{quadrant}: {quadrants:?}"
        );
    }
    let categories = strings(list(&plan["pestFactors"]).iter().map(|f| &f["category"]));
    assert!(
        set(&["POLITICAL", "ECONOMIC", "SOCIAL", "TECHNOLOGICAL"]).is_subset(&categories),
        "{categories:?}"
    );
    assert!(!list(&plan["marketTrends"]).is_empty());
    let competitors = list(&plan["competitors"]);
    assert_eq!(competitors.len(), 2);
    for competitor in competitors {
        assert!(!list(&competitor["levers"]).is_empty(), "{competitor}");
        assert!(!list(&competitor["strengths"]).is_empty(), "{competitor}");
        assert!(!list(&competitor["weaknesses"]).is_empty(), "{competitor}");
    }
    let brand = &plan["brand"];
    for field in [
        "mission",
        "vision",
        "tone",
        "positioningStatement",
        "currentPerception",
    ] {
        assert!(!brand[field].is_null(), "{field} of {brand}");
    }
    let mix = list(&plan["marketingMix"]);
    assert_eq!(
        strings(mix.iter().map(|entry| &entry["dimension"])),
        set(&[
            "PRODUCT",
            "PRICE",
            "PLACE",
            "PROMOTION",
            "PERSON",
            "PROCESS",
            "PROOF",
            "PARTNERSHIP",
            "PERMISSION",
            "PURPLE_COW",
        ])
    );
    for entry in mix {
        assert!(
            entry["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{entry}"
        );
    }
    let segments = list(&plan["segments"]);
    assert_eq!(segments.len(), 2);
    for segment in segments {
        assert!(!list(&segment["personas"]).is_empty(), "{segment}");
        assert!(!list(&segment["criteria"]).is_empty(), "{segment}");
    }

    // Objectives, levers, campaigns.
    let plan = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) {
                budget
                objectives { kind kpi { key } target deadline }
                leverAllocations { lever budget priority }
                leverInteractions { fromLever toLever kind }
                campaigns(first: 20) { totalCount nodes {
                    kind levers utmCode startDate endDate budget status
                    personas { name } objectives { title } parent { id } } }
            } }",
            json!({ "id": plan_id }),
        )
        .await["plan"]
        .clone();
    let objectives = list(&plan["objectives"]);
    let kpis = strings(objectives.iter().map(|o| &o["kpi"]["key"]));
    assert!(
        set(&["leads", "cpa", "conversion_rate", "subscribers"]).is_subset(&kpis),
        "{kpis:?}"
    );
    for objective in objectives {
        let deadline = objective["deadline"].as_str().unwrap();
        assert!(deadline.starts_with("2027-"), "{objective}");
    }
    let allocations = list(&plan["leverAllocations"]);
    assert!(allocations.len() >= 5, "{allocations:?}");
    let allocated: rust_decimal::Decimal =
        allocations.iter().map(|a| decimal_of(&a["budget"])).sum();
    assert!(allocated <= decimal_of(&plan["budget"]));
    let interactions: BTreeSet<(String, String, String)> = list(&plan["leverInteractions"])
        .iter()
        .map(|i| {
            (
                i["fromLever"].as_str().unwrap().to_owned(),
                i["toLever"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("SEO", "SEA", "SYNERGY"),
        ("SEA", "SEO", "SYNERGY"),
        ("SOCIAL_MEDIA", "SEO", "SYNERGY"),
    ] {
        let expected = (
            expected.0.to_owned(),
            expected.1.to_owned(),
            expected.2.to_owned(),
        );
        assert!(interactions.contains(&expected), "{expected:?}");
    }
    let campaigns = list(&plan["campaigns"]["nodes"]);
    assert!((4..=6).contains(&campaigns.len()), "{}", campaigns.len());
    assert_eq!(
        strings(campaigns.iter().map(|c| &c["kind"])),
        set(&["AWARENESS", "TRAFFIC", "CONVERSION", "LOYALTY"])
    );
    for campaign in campaigns {
        assert!(!list(&campaign["levers"]).is_empty(), "{campaign}");
        assert!(!list(&campaign["personas"]).is_empty(), "{campaign}");
        assert!(!list(&campaign["objectives"]).is_empty(), "{campaign}");
        assert!(campaign["utmCode"].is_string(), "{campaign}");
    }
    assert_eq!(
        campaigns.iter().filter(|c| !c["parent"].is_null()).count(),
        1
    );

    // Actions across the whole journey and funnel, and the content plan.
    let plan = app
        .data(
            &token,
            "query($id: ID!) { plan(id: $id) {
                actions(first: 100) { totalCount nodes {
                    journeyStep phase funnelStage owner status budget actualCost
                    impact confidence ease iceScore campaign { id } } }
                contentItems(first: 100) { totalCount nodes {
                    persona { name } lever funnelStage message publishDate action { id } } }
            } }",
            json!({ "id": plan_id }),
        )
        .await["plan"]
        .clone();
    let actions = list(&plan["actions"]["nodes"]);
    assert_eq!(
        plan["actions"]["totalCount"].as_u64(),
        Some(actions.len() as u64)
    );
    assert_eq!(
        strings(actions.iter().map(|a| &a["journeyStep"])),
        set(&[
            "CHOOSE_TARGET_MARKET",
            "CREATE_MESSAGES",
            "REACH_PROSPECTS",
            "CAPTURE_ATTRACTED",
            "DEVELOP_AUDIENCE",
            "CONVERT_SALES",
            "DELIVER_EXPERIENCE",
            "RAISE_CUSTOMER_VALUE",
            "ORCHESTRATE_REFERRALS",
        ])
    );
    assert_eq!(
        strings(actions.iter().map(|a| &a["phase"])),
        set(&["BEFORE", "DURING", "AFTER"])
    );
    assert_eq!(
        strings(actions.iter().map(|a| &a["funnelStage"])),
        set(&["ATTRACT", "CONVERT", "CLOSE", "DELIGHT"])
    );
    assert!(strings(actions.iter().map(|a| &a["status"])).len() >= 4);
    for action in actions {
        assert!(action["owner"].is_string(), "{action}");
        let ice = action["impact"].as_i64().unwrap()
            * action["confidence"].as_i64().unwrap()
            * action["ease"].as_i64().unwrap();
        assert_eq!(action["iceScore"].as_i64(), Some(ice));
    }
    assert!(
        actions
            .iter()
            .filter(|a| !decimal_of(&a["actualCost"]).is_zero())
            .count()
            >= 5
    );
    assert!(actions.iter().any(|a| a["campaign"].is_null()));
    assert!(actions.iter().any(|a| !a["campaign"].is_null()));
    let content = list(&plan["contentItems"]["nodes"]);
    assert_eq!(
        strings(content.iter().map(|c| &c["persona"]["name"])).len(),
        3
    );
    assert!(strings(content.iter().map(|c| &c["lever"])).len() >= 4);
    assert_eq!(
        strings(content.iter().map(|c| &c["funnelStage"])),
        set(&["ATTRACT", "CONVERT", "CLOSE", "DELIGHT"])
    );
    assert!(content.iter().any(|c| !c["action"].is_null()));

    // The summary counts what GraphQL shows.
    assert_eq!(summary.actions, actions.len());
    assert_eq!(summary.content_items, content.len());
    assert_eq!(summary.campaigns, campaigns.len());
    assert_eq!(summary.mix_dimensions, 10);

    // The measurements recorded so far: as many as GraphQL lists, from the demo source.
    let measured = app
        .data(
            &token,
            "{ all: measurements(first: 1) { totalCount } demo: measurements(first: 1, filter: { source: \"levier-demo\" }) { totalCount } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(measured["all"]["totalCount"], summary.measurements);
    assert_eq!(measured["demo"]["totalCount"], summary.measurements);
    // Followers are a snapshot every Monday of 2027 up to March 31 (January 4 to March 29:
    // 13 Mondays), from 4,200 growing by 160 a week.
    let followers = app
        .data(
            &token,
            "{ measurements(first: 100, filter: { kpiKeys: [\"followers\"] }) { totalCount nodes { date value } } }",
            serde_json::json!({}),
        )
        .await;
    let nodes = list(&followers["measurements"]["nodes"]);
    assert_eq!(nodes.len(), 13);
    assert_eq!(nodes[0]["date"], "2027-01-04");
    assert_eq!(decimal_of(&nodes[0]["value"]), "4200".parse().unwrap());
    assert_eq!(nodes[12]["date"], "2027-03-29");
    assert_eq!(decimal_of(&nodes[12]["value"]), "6120".parse().unwrap());
    assert!(summary.measurements > 1000, "{}", summary.measurements);
}

#[tokio::test]
async fn seeding_again_is_refused_unless_replaced() {
    let app = TestApp::spawn().await;
    seed(&app, "demo", false).await.unwrap();
    let token = app.token("demo", "admin");
    let first = the_plan(&app, &token).await;

    let again = seed(&app, "demo", false).await;
    match again {
        Err(SeedError::AlreadySeeded { tenant, plan }) => {
            assert_eq!(tenant, "demo");
            assert_eq!(plan, first["name"].as_str().unwrap());
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Nothing was written: still one plan, the same one, and three personas.
    assert_eq!(the_plan(&app, &token).await["id"], first["id"]);
    let personas = "{ personas(first: 10) { totalCount } }";
    assert_eq!(
        app.data(&token, personas, json!({})).await["personas"]["totalCount"],
        3
    );

    // With replace: the old plan is gone, a new one stands, the personas are reused.
    let replaced = seed(&app, "demo", true).await.unwrap();
    assert_eq!(replaced.replaced_plans, 1);
    assert_eq!(replaced.personas_created, 0);
    let second = the_plan(&app, &token).await;
    assert_ne!(second["id"], first["id"]);
    let old = app
        .data(
            &token,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert!(old["node"].is_null(), "{old}");
    assert_eq!(
        app.data(&token, personas, json!({})).await["personas"]["totalCount"],
        3
    );
}

#[tokio::test]
async fn an_invalid_tenant_key_is_refused_before_anything_is_written() {
    let app = TestApp::spawn().await;
    let refused = seed(&app, "Not A Slug", false).await;
    assert!(
        matches!(refused, Err(SeedError::InvalidTenant(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_demo_tenant_is_invisible_to_another_tenant() {
    let app = TestApp::spawn().await;
    seed(&app, "demo", false).await.unwrap();
    let demo_token = app.token("demo", "admin");
    let plan = the_plan(&app, &demo_token).await;
    let campaign = app
        .data(
            &demo_token,
            "{ campaigns(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await["campaigns"]["nodes"][0]["id"]
        .clone();

    let other = app.token("globex", "admin");
    let seen = app
        .data(
            &other,
            "query($ids: [ID!]!) {
                plans(first: 10) { totalCount }
                personas(first: 10) { totalCount }
                campaigns(first: 10) { totalCount }
                actions(first: 10) { totalCount }
                nodes(ids: $ids) { id }
            }",
            json!({ "ids": [plan["id"], campaign] }),
        )
        .await;
    assert_eq!(seen["plans"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["personas"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["campaigns"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["actions"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["nodes"], json!([null, null]), "{seen}");

    // The refusal is per tenant: the other tenant can have its own demo, and the first one is
    // untouched.
    seed(&app, "globex", false).await.unwrap();
    assert_ne!(the_plan(&app, &other).await["id"], plan["id"]);
    assert_eq!(the_plan(&app, &demo_token).await["id"], plan["id"]);
}
