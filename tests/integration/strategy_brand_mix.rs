//! The strategy layer, plan-level texts: the brand platform (`setBrand`, at most one per plan,
//! guarded by its version) and the ten dimensions of the marketing mix (`setMarketingMix`).

use serde_json::{Value, json};

use crate::{
    strategy::{refused, refused_selecting},
    support::{TestApp, create_plan, error_code, mutate, mutate_ok, node},
};

const BRAND_FIELDS: &str = "id currentPerception values mission vision tone \
                            positioningStatement version plan { id }";

const ALL_DIMENSIONS: [&str; 10] = [
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
];

async fn brand_of(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(
        token,
        &format!("query($id: ID!) {{ plan(id: $id) {{ brand {{ {BRAND_FIELDS} }} }} }}"),
        json!({ "id": plan }),
    )
    .await["plan"]["brand"]
        .clone()
}

async fn set_brand(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(
        app,
        token,
        "setBrand",
        &format!("brand {{ {BRAND_FIELDS} }} userErrors {{ field code }}"),
        input,
    )
    .await
}

async fn mix_of(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(
        token,
        "query($id: ID!) { plan(id: $id) { marketingMix { dimension text } } }",
        json!({ "id": plan }),
    )
    .await["plan"]["marketingMix"]
        .clone()
}

/// The expected mix: every dimension in order, with the given texts and null elsewhere.
fn expected_mix(texts: &[(&str, &str)]) -> Value {
    Value::Array(
        ALL_DIMENSIONS
            .iter()
            .map(|dimension| {
                let text = texts
                    .iter()
                    .find(|(d, _)| d == dimension)
                    .map(|(_, t)| Value::String((*t).to_owned()))
                    .unwrap_or(Value::Null);
                json!({ "dimension": dimension, "text": text })
            })
            .collect(),
    )
}

#[tokio::test]
async fn the_brand_is_created_once_then_replaced_at_the_version_read() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    assert_eq!(brand_of(&app, &editor, &plan).await, Value::Null, "unset");

    let created = set_brand(
        &app,
        &editor,
        json!({ "planId": plan, "expectedVersion": null,
                "currentPerception": "Reliable but old-fashioned", "values": ["Trust", "Craft"],
                "mission": "Make repairs easy", "vision": "No object thrown away",
                "tone": "Warm, expert", "positioningStatement": "The repair expert next door" }),
    )
    .await;
    let brand = created["data"]["setBrand"]["brand"].clone();
    assert_eq!(
        created["data"]["setBrand"]["userErrors"],
        json!([]),
        "{created}"
    );
    assert_eq!(brand["version"], 1);
    assert_eq!(brand["values"], json!(["Trust", "Craft"]));
    assert_eq!(brand["mission"], "Make repairs easy");
    assert_eq!(brand["vision"], "No object thrown away");
    assert_eq!(brand["tone"], "Warm, expert");
    assert_eq!(brand["currentPerception"], "Reliable but old-fashioned");
    assert_eq!(brand["positioningStatement"], "The repair expert next door");
    assert_eq!(brand["plan"]["id"], plan.as_str());
    assert_eq!(brand_of(&app, &editor, &plan).await, brand);
    let id = brand["id"].as_str().unwrap();
    assert_eq!(
        node(
            &app,
            &editor,
            id,
            &format!("... on Brand {{ {BRAND_FIELDS} }}")
        )
        .await,
        brand
    );

    // A second creation finds a brand already there: someone else wrote it.
    let again = set_brand(
        &app,
        &editor,
        json!({ "planId": plan, "expectedVersion": null, "mission": "Other" }),
    )
    .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
    assert_eq!(brand_of(&app, &editor, &plan).await, brand);

    // Replacing at the version read writes the whole brand: omitted texts are cleared.
    let replaced = set_brand(
        &app,
        &editor,
        json!({ "planId": plan, "expectedVersion": 1, "values": ["Trust"], "tone": "Playful" }),
    )
    .await["data"]["setBrand"]["brand"]
        .clone();
    assert_eq!(replaced["id"], brand["id"], "the same brand");
    assert_eq!(replaced["version"], 2);
    assert_eq!(replaced["values"], json!(["Trust"]));
    assert_eq!(replaced["tone"], "Playful");
    assert_eq!(replaced["mission"], Value::Null);
    assert_eq!(replaced["positioningStatement"], Value::Null);

    let stale = set_brand(
        &app,
        &editor,
        json!({ "planId": plan, "expectedVersion": 1, "tone": "Formal" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    assert_eq!(brand_of(&app, &editor, &plan).await, replaced);

    // Invalid content: user errors, nothing changed.
    let errors = refused(
        &app,
        &editor,
        "setBrand",
        "brand",
        json!({ "planId": plan, "expectedVersion": 2, "values": ["ok", ""],
                "mission": "m".repeat(10_001) }),
    )
    .await;
    assert_eq!(
        errors,
        ["input.values.1: REQUIRED", "input.mission: TOO_LONG"]
    );
    assert_eq!(brand_of(&app, &editor, &plan).await, replaced);
}

#[tokio::test]
async fn replacing_a_brand_that_does_not_exist_is_a_conflict() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let body = set_brand(
        &app,
        &editor,
        json!({ "planId": plan, "expectedVersion": 1, "tone": "Formal" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(brand_of(&app, &editor, &plan).await, Value::Null);
}

#[tokio::test]
async fn the_marketing_mix_lists_ten_dimensions_in_order_and_sets_and_clears_each() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let other = create_plan(&app, &editor, "Plan 2028").await;
    assert_eq!(mix_of(&app, &editor, &plan).await, expected_mix(&[]));

    let set = |dimension: &'static str, text: Value| {
        let app = &app;
        let editor = &editor;
        let plan = plan.clone();
        async move {
            mutate_ok(
                app,
                editor,
                "setMarketingMix",
                "entry { dimension text updatedAt } userErrors { field code }",
                json!({ "planId": plan, "dimension": dimension, "text": text }),
            )
            .await
        }
    };
    let product = set(
        "PRODUCT",
        json!("  Refurbished appliances, 2-year warranty "),
    )
    .await;
    assert_eq!(product["userErrors"], json!([]));
    assert_eq!(product["entry"]["dimension"], "PRODUCT");
    assert_eq!(
        product["entry"]["text"],
        "Refurbished appliances, 2-year warranty"
    );
    assert!(product["entry"]["updatedAt"].is_string());
    set("PURPLE_COW", json!("Repair cafés in every shop")).await;
    set("PERMISSION", json!("Double opt-in for the newsletter")).await;
    set("PRODUCT", json!("Refurbished appliances")).await;
    assert_eq!(
        mix_of(&app, &editor, &plan).await,
        expected_mix(&[
            ("PRODUCT", "Refurbished appliances"),
            ("PERMISSION", "Double opt-in for the newsletter"),
            ("PURPLE_COW", "Repair cafés in every shop"),
        ])
    );
    assert_eq!(
        mix_of(&app, &editor, &other).await,
        expected_mix(&[]),
        "per plan"
    );

    let cleared = set("PRODUCT", Value::Null).await;
    assert_eq!(
        cleared["entry"],
        json!({ "dimension": "PRODUCT", "text": null, "updatedAt": null })
    );
    set("PURPLE_COW", json!("   ")).await;
    assert_eq!(
        mix_of(&app, &editor, &plan).await,
        expected_mix(&[("PERMISSION", "Double opt-in for the newsletter")])
    );

    let errors = refused_selecting(
        &app,
        &editor,
        "setMarketingMix",
        "entry",
        "dimension",
        json!({ "planId": plan, "dimension": "PERMISSION", "text": "t".repeat(10_001) }),
    )
    .await;
    assert_eq!(errors, ["input.text: TOO_LONG"]);
    assert_eq!(
        mix_of(&app, &editor, &plan).await,
        expected_mix(&[("PERMISSION", "Double opt-in for the newsletter")])
    );
}
