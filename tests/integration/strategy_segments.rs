//! The strategy layer, segments: criteria, estimated size, targeting, positioning, and the
//! personas in each segment (`personaIds` on the segment inputs; `Segment.personas` and
//! `Persona.segments`).

use serde_json::{Value, json};

use crate::{
    strategy::{create_ok, refused, strategy_of},
    support::{TestApp, create_persona, create_plan, error_code, mutate, mutate_ok, node},
};

const SEGMENT_FIELDS: &str = "id name criteria estimatedSize targeted positioning version \
                              plan { id } personas { id name }";

fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    ids.sort();
    ids
}

fn ids_of(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn segments_of_persona(app: &TestApp, token: &str, persona: &str) -> Value {
    node(
        app,
        token,
        persona,
        "... on Persona { segments { id name } }",
    )
    .await["segments"]
        .clone()
}

#[tokio::test]
async fn a_segment_round_trips_with_its_personas_both_ways() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let sophie = create_persona(&app, &editor, "Sophie").await;
    let marc = create_persona(&app, &editor, "Marc").await;
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let created = create_ok(
        &app,
        &editor,
        "createSegment",
        "segment",
        SEGMENT_FIELDS,
        json!({ "planId": plan, "name": "Young urban professionals",
                "criteria": ["age: 25–34", "place: Lyon", "interest: design"],
                "estimatedSize": 3_000_000_000_i64, "targeted": true,
                "positioning": "Affordable design", "personaIds": [sophie, marc, sophie] }),
    )
    .await;
    assert_eq!(created["name"], "Young urban professionals");
    assert_eq!(
        created["criteria"],
        json!(["age: 25–34", "place: Lyon", "interest: design"])
    );
    assert_eq!(
        created["estimatedSize"], 3_000_000_000_i64,
        "beyond 32 bits"
    );
    assert_eq!(created["targeted"], true);
    assert_eq!(created["positioning"], "Affordable design");
    assert_eq!(created["version"], 1);
    assert_eq!(ids_of(&created["personas"]), sorted(&[&sophie, &marc]));
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        node(
            &app,
            &editor,
            &id,
            &format!("... on Segment {{ {SEGMENT_FIELDS} }}")
        )
        .await,
        created
    );
    assert_eq!(
        segments_of_persona(&app, &editor, &sophie).await,
        json!([{ "id": id, "name": "Young urban professionals" }])
    );

    // Defaults: not targeted, no size, no criteria, no personas.
    let bare = create_ok(
        &app,
        &editor,
        "createSegment",
        "segment",
        SEGMENT_FIELDS,
        json!({ "planId": plan, "name": "Seniors" }),
    )
    .await;
    assert_eq!(bare["targeted"], false);
    assert_eq!(bare["estimatedSize"], Value::Null);
    assert_eq!(bare["criteria"], json!([]));
    assert_eq!(bare["personas"], json!([]));

    // Updating replaces the personas; omitted fields stay, null clears.
    let updated = mutate_ok(
        &app,
        &editor,
        "updateSegment",
        &format!("segment {{ {SEGMENT_FIELDS} }} userErrors {{ code }}"),
        json!({ "id": id, "expectedVersion": 1, "personaIds": [marc], "estimatedSize": null,
                "targeted": false }),
    )
    .await["segment"]
        .clone();
    assert_eq!(updated["version"], 2);
    assert_eq!(ids_of(&updated["personas"]), sorted(&[&marc]));
    assert_eq!(updated["estimatedSize"], Value::Null);
    assert_eq!(updated["targeted"], false);
    assert_eq!(updated["positioning"], "Affordable design");
    assert_eq!(segments_of_persona(&app, &editor, &sophie).await, json!([]));
    assert_eq!(
        ids_of(&segments_of_persona(&app, &editor, &marc).await),
        sorted(&[&id])
    );
    let stale = mutate(
        &app,
        &editor,
        "updateSegment",
        "segment { id }",
        json!({ "id": id, "expectedVersion": 1, "personaIds": [sophie] }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"));
    assert_eq!(
        ids_of(&node(&app, &editor, &id, "... on Segment { personas { id } }").await["personas"]),
        sorted(&[&marc]),
        "a refused update changes no link"
    );

    // Deleting the segment keeps its personas.
    mutate_ok(
        &app,
        &admin,
        "deleteSegment",
        "deletedId",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(node(&app, &editor, &id, "id").await, Value::Null);
    assert_eq!(segments_of_persona(&app, &editor, &marc).await, json!([]));
    assert_eq!(
        node(&app, &editor, &marc, "... on Persona { name }").await["name"],
        "Marc"
    );
    let left = strategy_of(&app, &editor, &plan).await["segments"].clone();
    assert_eq!(ids_of(&left), sorted(&[bare["id"].as_str().unwrap()]));
}

#[tokio::test]
async fn a_persona_in_segments_of_two_plans_lists_both() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let sophie = create_persona(&app, &editor, "Sophie").await;
    let mut segment_ids = Vec::new();
    for year in ["2027", "2028"] {
        let plan = create_plan(&app, &editor, &format!("Plan {year}")).await;
        let segment = create_ok(
            &app,
            &editor,
            "createSegment",
            "segment",
            "id",
            json!({ "planId": plan, "name": format!("Segment {year}"), "personaIds": [sophie] }),
        )
        .await;
        segment_ids.push(segment["id"].as_str().unwrap().to_owned());
    }
    let segments = segments_of_persona(&app, &editor, &sophie).await;
    assert_eq!(
        segments,
        json!([{ "id": segment_ids[0], "name": "Segment 2027" },
               { "id": segment_ids[1], "name": "Segment 2028" }]),
        "oldest first"
    );
}

#[tokio::test]
async fn invalid_segments_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let sophie = create_persona(&app, &editor, "Sophie").await;
    let gone = create_persona(&app, &editor, "Gone").await;
    mutate_ok(
        &app,
        &admin,
        "deletePersona",
        "deletedId",
        json!({ "id": gone }),
    )
    .await;
    let errors = refused(
        &app,
        &editor,
        "createSegment",
        "segment",
        json!({ "planId": plan, "name": "", "criteria": ["age: 25–34", "  "],
                "estimatedSize": -1, "positioning": "p".repeat(10_001),
                "personaIds": [sophie, gone, "not-an-id", plan] }),
    )
    .await;
    assert_eq!(
        errors,
        [
            "input.name: REQUIRED",
            "input.criteria.1: REQUIRED",
            "input.estimatedSize: OUT_OF_RANGE",
            "input.positioning: TOO_LONG",
            "input.personaIds.1: NOT_FOUND",
            "input.personaIds.2: NOT_FOUND",
            "input.personaIds.3: NOT_FOUND"
        ]
    );
    assert_eq!(
        strategy_of(&app, &editor, &plan).await["segments"],
        json!([])
    );
    assert_eq!(segments_of_persona(&app, &editor, &sophie).await, json!([]));

    let segment = create_ok(
        &app,
        &editor,
        "createSegment",
        "segment",
        "id name estimatedSize personas { id }",
        json!({ "planId": plan, "name": "Families", "estimatedSize": 0, "personaIds": [sophie] }),
    )
    .await;
    assert_eq!(segment["estimatedSize"], 0, "zero is a size");
    let errors = refused(
        &app,
        &editor,
        "updateSegment",
        "segment",
        json!({ "id": segment["id"], "expectedVersion": 1, "name": " ", "estimatedSize": -5,
                "personaIds": [gone] }),
    )
    .await;
    assert_eq!(
        errors,
        [
            "input.name: REQUIRED",
            "input.estimatedSize: OUT_OF_RANGE",
            "input.personaIds.0: NOT_FOUND"
        ]
    );
    let read = node(
        &app,
        &editor,
        segment["id"].as_str().unwrap(),
        "... on Segment { id name estimatedSize personas { id } }",
    )
    .await;
    assert_eq!(read, segment, "unchanged");
}
