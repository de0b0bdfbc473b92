//! Review and approval of plans (issue 15): DRAFT → IN_REVIEW → APPROVED or back with changes
//! requested, the tenant's approvers (a least role, named subjects), what a change to an
//! approved plan's budgets does (re-open or refuse, per tenant), the approved version in the
//! plan document, the README's examples run as written, and a second tenant that sees and
//! touches none of it.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::document::get_document;
use crate::support::{
    TestApp, action_input, base_claims, create_action, create_campaign, create_plan, error_code,
    min_statements, mint, mutate, mutate_ok, node, user_errors,
};

const STEP: &str = "plan { id version } \
    review { state approvedVersion approval { actorSubject actorRole planVersion } \
             events { kind actorSubject actorRole planVersion note } } \
    userErrors { field message code }";

/// A token of `tenant` with `role` for the subject `subject`.
fn token_of(tenant: &str, role: &str, subject: &str) -> String {
    let mut claims = base_claims(tenant, role);
    claims.sub = subject.to_owned();
    mint(&claims)
}

async fn plan_state(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(
        token,
        "query($id: ID!) { plan(id: $id) { version budget review { state approvedVersion \
         lastApproval { planVersion } events { kind actorSubject note planVersion } } } }",
        json!({ "id": plan }),
    )
    .await["plan"]
        .clone()
}

async fn version_of(app: &TestApp, token: &str, plan: &str) -> i64 {
    plan_state(app, token, plan).await["version"]
        .as_i64()
        .expect("a version")
}

/// Takes the review step `mutation` at the plan's current version and returns its payload.
async fn step(app: &TestApp, token: &str, mutation: &str, plan: &str, note: Option<&str>) -> Value {
    let version = version_of(app, token, plan).await;
    let body = mutate(
        app,
        token,
        mutation,
        STEP,
        json!({ "planId": plan, "expectedVersion": version, "note": note }),
    )
    .await;
    assert!(body.get("errors").is_none(), "{mutation}: {body}");
    body["data"][mutation].clone()
}

/// Submits the plan (as `editor`) and approves it (as `approver`); asserts it is APPROVED.
async fn approve(app: &TestApp, editor: &str, approver: &str, plan: &str) {
    let submitted = step(app, editor, "submitPlanForReview", plan, None).await;
    assert_eq!(submitted["userErrors"], json!([]), "{submitted}");
    let approved = step(app, approver, "approvePlan", plan, None).await;
    assert_eq!(approved["review"]["state"], "APPROVED", "{approved}");
}

fn kinds(review: &Value) -> Vec<String> {
    review["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_plan_goes_through_review_to_approval_and_its_document_shows_the_version() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    assert_eq!(
        plan_state(&app, &editor, &plan).await["review"],
        json!({ "state": "DRAFT", "approvedVersion": null, "lastApproval": null, "events": [] })
    );

    // Nothing to approve or send back before a submission.
    for mutation in ["approvePlan", "requestPlanChanges", "reopenPlanReview"] {
        let refused = step(&app, &admin, mutation, &plan, Some("too early")).await;
        assert_eq!(
            user_errors(&refused),
            ["input.planId: INVALID_TRANSITION"],
            "{mutation}"
        );
    }

    let submitted = step(&app, &editor, "submitPlanForReview", &plan, Some("Ready")).await;
    assert_eq!(submitted["review"]["state"], "IN_REVIEW", "{submitted}");
    let again = step(&app, &editor, "submitPlanForReview", &plan, None).await;
    assert_eq!(user_errors(&again), ["input.planId: INVALID_TRANSITION"]);

    // Changes are requested with a note, never without.
    let no_note = step(&app, &admin, "requestPlanChanges", &plan, Some("  ")).await;
    assert_eq!(user_errors(&no_note), ["input.note: REQUIRED"]);
    let sent_back = step(
        &app,
        &admin,
        "requestPlanChanges",
        &plan,
        Some("Move 2,000 EUR from SEA to SEO"),
    )
    .await;
    assert_eq!(sent_back["review"]["state"], "DRAFT");

    // The editor revises (version 2) and submits again.
    let revised = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { version } userErrors { code }",
        json!({ "id": plan, "expectedVersion": 1, "description": "SEO first" }),
    )
    .await;
    assert_eq!(revised["plan"]["version"], 2, "{revised}");
    step(&app, &editor, "submitPlanForReview", &plan, None).await;

    // An approval names the version the approver read: a stale one is a conflict.
    let stale = mutate(
        &app,
        &admin,
        "approvePlan",
        STEP,
        json!({ "planId": plan, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let approved = step(&app, &admin, "approvePlan", &plan, Some("Go")).await;
    assert_eq!(
        approved["review"],
        json!({
            "state": "APPROVED",
            "approvedVersion": 2,
            "approval": { "actorSubject": "alice", "actorRole": "ADMIN", "planVersion": 2 },
            "events": [
                { "kind": "SUBMITTED", "actorSubject": "bob", "actorRole": "EDITOR", "planVersion": 1, "note": "Ready" },
                { "kind": "CHANGES_REQUESTED", "actorSubject": "alice", "actorRole": "ADMIN", "planVersion": 1, "note": "Move 2,000 EUR from SEA to SEO" },
                { "kind": "SUBMITTED", "actorSubject": "bob", "actorRole": "EDITOR", "planVersion": 2, "note": null },
                { "kind": "APPROVED", "actorSubject": "alice", "actorRole": "ADMIN", "planVersion": 2, "note": "Go" },
            ]
        })
    );
    let twice = step(&app, &admin, "approvePlan", &plan, None).await;
    assert_eq!(user_errors(&twice), ["input.planId: INVALID_TRANSITION"]);
    assert_eq!(twice["plan"], Value::Null);

    // The document says which version was approved, by whom, and lists the steps.
    let (status, _, document) = get_document(&app, Some(&editor), &[], &plan).await;
    assert_eq!(status, StatusCode::OK, "{document}");
    let summary = document
        .lines()
        .find(|line| line.starts_with("- **Review:**"))
        .unwrap_or_else(|| panic!("no review line in:\n{document}"));
    assert!(
        summary.starts_with("- **Review:** Approved, version 2 approved by alice (admin) on "),
        "{summary}"
    );
    assert!(document.contains("\n## Review\n"), "{document}");
    assert!(
        document.contains("| 4 | Approved | alice (admin) | 2 | "),
        "{document}"
    );
    assert!(
        document.contains("| 2 | Changes requested | alice (admin) | 1 | "),
        "{document}"
    );

    // An edit that is not a budget change leaves the approval in force; the document says the
    // plan has moved on since.
    mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { version } userErrors { code }",
        json!({ "id": plan, "expectedVersion": 2, "name": "Plan 2027 (final)" }),
    )
    .await;
    let state = plan_state(&app, &editor, &plan).await;
    assert_eq!(state["version"], 3);
    assert_eq!(state["review"]["state"], "APPROVED");
    assert_eq!(state["review"]["approvedVersion"], 2);
    let (_, _, document) = get_document(&app, Some(&editor), &[], &plan).await;
    assert!(
        document.contains("(the plan is now at version 3)"),
        "{document}"
    );
}

#[tokio::test]
async fn who_approves_is_a_role_or_a_named_subject_of_the_tenant() {
    let app = TestApp::spawn().await;
    let admin = token_of("acme", "admin", "alice");
    let editor = token_of("acme", "editor", "bob");
    let viewer = token_of("acme", "viewer", "carol");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    step(&app, &editor, "submitPlanForReview", &plan, None).await;

    // The default: ADMIN approves, nobody below; a viewer cannot even submit.
    let settings = app
        .data(
            &viewer,
            "{ viewer { tenant { version reviewSettings { approverRole approvers approvedBudgetChanges } } } }",
            json!({}),
        )
        .await["viewer"]["tenant"]
        .clone();
    assert_eq!(
        settings["reviewSettings"],
        json!({ "approverRole": "ADMIN", "approvers": [], "approvedBudgetChanges": "REOPEN_REVIEW" })
    );
    for (token, mutation) in [
        (&editor, "approvePlan"),
        (&viewer, "approvePlan"),
        (&editor, "requestPlanChanges"),
    ] {
        let body = mutate(
            &app,
            token,
            mutation,
            STEP,
            json!({ "planId": plan, "expectedVersion": 1, "note": "x" }),
        )
        .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{mutation}: {body}");
    }
    let body = mutate(
        &app,
        &viewer,
        "submitPlanForReview",
        STEP,
        json!({ "planId": plan, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert_eq!(
        plan_state(&app, &admin, &plan).await["review"]["state"],
        "IN_REVIEW"
    );

    // Only editors may change the settings? No: only an ADMIN.
    let body = mutate(
        &app,
        &editor,
        "updateTenant",
        "tenant { version }",
        json!({ "expectedVersion": 1, "reviewApproverRole": "EDITOR" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // Someone must remain able to approve.
    let nobody = mutate_ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { version } userErrors { field code }",
        json!({ "expectedVersion": 1, "reviewApproverRole": null, "reviewApprovers": [] }),
    )
    .await;
    assert_eq!(user_errors(&nobody), ["input.reviewApproverRole: REQUIRED"]);

    // No role, one named viewer: the admin is refused, carol approves.
    let named = mutate_ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { version reviewSettings { approverRole approvers } } userErrors { field code }",
        json!({ "expectedVersion": 1, "reviewApproverRole": null, "reviewApprovers": ["carol", " carol "] }),
    )
    .await;
    assert_eq!(
        named["tenant"],
        json!({ "version": 2, "reviewSettings": { "approverRole": null, "approvers": ["carol"] } }),
        "{named}"
    );
    let body = mutate(
        &app,
        &admin,
        "approvePlan",
        STEP,
        json!({ "planId": plan, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let approved = step(&app, &viewer, "approvePlan", &plan, None).await;
    assert_eq!(
        approved["review"]["approval"],
        json!({ "actorSubject": "carol", "actorRole": "VIEWER", "planVersion": 1 })
    );

    // EDITOR as the least role: bob approves the next round.
    mutate_ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { version }",
        json!({ "expectedVersion": 2, "reviewApproverRole": "EDITOR" }),
    )
    .await;
    step(
        &app,
        &editor,
        "reopenPlanReview",
        &plan,
        Some("Q2 revision"),
    )
    .await;
    step(&app, &editor, "submitPlanForReview", &plan, None).await;
    let approved = step(&app, &editor, "approvePlan", &plan, None).await;
    assert_eq!(approved["review"]["approval"]["actorSubject"], "bob");
}

#[tokio::test]
async fn every_budget_change_reopens_an_approved_plan_and_other_edits_do_not() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[]).await;
    let action = create_action(&app, &editor, &plan, json!({ "title": "Guide" })).await;

    // Each write that changes a planned amount, in turn, on an approved plan.
    let changes: Vec<(&str, &str, Value)> = vec![
        (
            "updatePlan",
            "plan { id }",
            json!({ "id": plan, "expectedVersion": 1, "budget": "90000" }),
        ),
        (
            "createLeverAllocation",
            "leverAllocation { id }",
            json!({ "planId": plan, "lever": "SEO", "budget": "5000", "priority": 1 }),
        ),
        (
            "updateCampaign",
            "campaign { id }",
            json!({ "id": campaign, "expectedVersion": 1, "budget": "1500" }),
        ),
        (
            "createAction",
            "action { id }",
            action_input(&plan, json!({ "title": "Ads", "lever": "SEA" })),
        ),
        (
            "updateAction",
            "action { id }",
            json!({ "id": action, "expectedVersion": 1, "status": "CANCELLED" }),
        ),
    ];
    for (index, (mutation, selection, input)) in changes.into_iter().enumerate() {
        approve(&app, &editor, &admin, &plan).await;
        let selection = format!("{selection} userErrors {{ field code }}");
        let payload = mutate_ok(&app, &editor, mutation, &selection, input).await;
        assert_eq!(payload["userErrors"], json!([]), "{mutation}: {payload}");
        let review = plan_state(&app, &editor, &plan).await["review"].clone();
        assert_eq!(review["state"], "DRAFT", "{mutation}: {review}");
        let events = review["events"].as_array().expect("events");
        assert_eq!(events.len(), 3 * (index + 1), "{mutation}: {review}");
        let reopened = &events[events.len() - 1];
        assert_eq!(reopened["kind"], "REOPENED", "{mutation}");
        assert_eq!(reopened["actorSubject"], "bob", "{mutation}");
        assert!(
            reopened["note"]
                .as_str()
                .is_some_and(|note| note.ends_with("changed after approval")),
            "{mutation}: {reopened}"
        );
        assert!(
            review["lastApproval"]["planVersion"].is_i64(),
            "the approval stays in the history"
        );
    }

    // An arbitrage that cancels an action is a budget change too.
    approve(&app, &editor, &admin, &plan).await;
    let proposal = app
        .data(
            &editor,
            "query($input: ArbitrageInput!) { arbitrage(input: $input) { planVersion cut { count } } }",
            json!({ "input": { "planId": plan, "ceiling": "0" } }),
        )
        .await["arbitrage"]
        .clone();
    assert_eq!(proposal["cut"]["count"], 1, "{proposal}");
    let applied = mutate_ok(
        &app,
        &editor,
        "applyArbitrage",
        "cancelledActions { id } userErrors { field code }",
        json!({ "planId": plan, "ceiling": "0", "fingerprint": proposal["planVersion"] }),
    )
    .await;
    assert_eq!(applied["userErrors"], json!([]), "{applied}");
    let review = plan_state(&app, &editor, &plan).await["review"].clone();
    assert_eq!(review["state"], "DRAFT");
    assert_eq!(kinds(&review).last().map(String::as_str), Some("REOPENED"));

    // Edits that move no money leave an approved plan approved.
    approve(&app, &editor, &admin, &plan).await;
    let count = kinds(&plan_state(&app, &editor, &plan).await["review"]).len();
    let version = version_of(&app, &editor, &plan).await;
    for (mutation, selection, input) in [
        (
            "updatePlan",
            "plan { id }",
            json!({ "id": plan, "expectedVersion": version, "name": "Renamed" }),
        ),
        (
            "updateCampaign",
            "campaign { id }",
            json!({ "id": campaign, "expectedVersion": 2, "name": "Spring sale" }),
        ),
        (
            "createAction",
            "action { id }",
            action_input(&plan, json!({ "title": "Free", "budget": "0" })),
        ),
    ] {
        let selection = format!("{selection} userErrors {{ field code }}");
        let payload = mutate_ok(&app, &editor, mutation, &selection, input).await;
        assert_eq!(payload["userErrors"], json!([]), "{mutation}: {payload}");
    }
    let review = plan_state(&app, &editor, &plan).await["review"].clone();
    assert_eq!(review["state"], "APPROVED", "{review}");
    assert_eq!(kinds(&review).len(), count);
}

#[tokio::test]
async fn a_tenant_that_refuses_budget_changes_to_approved_plans_writes_nothing() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    mutate_ok(
        &app,
        &admin,
        "updateTenant",
        "tenant { version }",
        json!({ "expectedVersion": 1, "approvedBudgetChanges": "REFUSE" }),
    )
    .await;
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    approve(&app, &editor, &admin, &plan).await;

    let refused = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { id } userErrors { field code message }",
        json!({ "id": plan, "expectedVersion": 1, "budget": "1", "name": "Cheaper" }),
    )
    .await;
    assert_eq!(user_errors(&refused), ["input.budget: PLAN_APPROVED"]);
    let refused = mutate_ok(
        &app,
        &editor,
        "createCampaign",
        "campaign { id } userErrors { field code }",
        json!({ "planId": plan, "name": "Late", "kind": "AWARENESS", "levers": ["SEO"],
                "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "10" }),
    )
    .await;
    assert_eq!(user_errors(&refused), ["input.budget: PLAN_APPROVED"]);
    let state = plan_state(&app, &editor, &plan).await;
    assert_eq!(state["version"], 1, "nothing written: {state}");
    assert_eq!(state["budget"], "100000.00");
    assert_eq!(state["review"]["state"], "APPROVED");
    let campaigns = app
        .data(
            &editor,
            "query($id: ID!) { plan(id: $id) { campaigns { totalCount } } }",
            json!({ "id": plan }),
        )
        .await;
    assert_eq!(campaigns["plan"]["campaigns"]["totalCount"], 0);

    // Re-opened on purpose, the plan's budget may change.
    let reopened = step(&app, &editor, "reopenPlanReview", &plan, Some("New budget")).await;
    assert_eq!(reopened["review"]["state"], "DRAFT");
    let changed = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { budget } userErrors { field code }",
        json!({ "id": plan, "expectedVersion": 1, "budget": "1" }),
    )
    .await;
    assert_eq!(changed["plan"]["budget"], "1.00", "{changed}");

    // A copy starts a review of its own.
    approve(&app, &editor, &admin, &plan).await;
    let copy = mutate_ok(
        &app,
        &editor,
        "copyPlan",
        "plan { review { state events { kind } } } userErrors { field code }",
        json!({ "planId": plan, "name": "Plan 2028", "periodStart": "2028-01-01" }),
    )
    .await;
    assert_eq!(
        copy["plan"]["review"],
        json!({ "state": "DRAFT", "events": [] }),
        "{copy}"
    );
}

#[tokio::test]
async fn another_tenant_cannot_see_submit_approve_or_reopen_a_plan() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let submitted = step(&app, &editor, "submitPlanForReview", &plan, None).await;
    let event = app
        .data(
            &editor,
            "query($id: ID!) { plan(id: $id) { review { events { id } } } }",
            json!({ "id": plan }),
        )
        .await["plan"]["review"]["events"][0]["id"]
        .as_str()
        .expect("an event id")
        .to_owned();
    assert_eq!(submitted["review"]["state"], "IN_REVIEW");

    // The event is a node of its own tenant.
    let own = node(
        &app,
        &editor,
        &event,
        "... on PlanReviewEvent { kind actorSubject plan { id } }",
    )
    .await;
    assert_eq!(
        own,
        json!({ "kind": "SUBMITTED", "actorSubject": "bob", "plan": { "id": plan } })
    );

    let globex = token_of("globex", "admin", "alice");
    // Read: the plan, the event, a list.
    assert_eq!(
        node(&app, &globex, &plan, "... on Plan { review { state } }").await,
        Value::Null
    );
    assert_eq!(
        node(&app, &globex, &event, "... on PlanReviewEvent { kind }").await,
        Value::Null
    );
    let nodes = app
        .data(
            &globex,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [plan, event] }),
        )
        .await;
    assert_eq!(nodes["nodes"], json!([null, null]));
    let list = app
        .data(&globex, "{ plans { totalCount } }", json!({}))
        .await;
    assert_eq!(list["plans"]["totalCount"], 0);
    let (status, _, _) = get_document(&app, Some(&globex), &[], &plan).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Write: every step, on the plan and with the event's ID in its place.
    for mutation in [
        "submitPlanForReview",
        "approvePlan",
        "requestPlanChanges",
        "reopenPlanReview",
    ] {
        for id in [&plan, &event] {
            let body = mutate(
                &app,
                &globex,
                mutation,
                STEP,
                json!({ "planId": id, "expectedVersion": 1, "note": "mine now" }),
            )
            .await;
            assert_eq!(error_code(&body), Some("NOT_FOUND"), "{mutation}: {body}");
        }
    }
    // A second tenant's settings do not reach the first: globex names bob, bob stays an editor
    // of acme who may not approve.
    mutate_ok(
        &app,
        &globex,
        "updateTenant",
        "tenant { version }",
        json!({ "expectedVersion": 1, "reviewApprovers": ["bob"] }),
    )
    .await;
    let body = mutate(
        &app,
        &editor,
        "approvePlan",
        STEP,
        json!({ "planId": plan, "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // Acme's review is untouched.
    let state = plan_state(&app, &admin, &plan).await;
    assert_eq!(state["review"]["state"], "IN_REVIEW");
    assert_eq!(kinds(&state["review"]), ["SUBMITTED"]);
}

/// Concurrent budget changes to one approved plan all succeed, and the review is re-opened
/// once: the writers that find the REOPENED event already written by another leave it be.
#[tokio::test]
async fn concurrent_budget_changes_reopen_the_review_once() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let mut campaigns = Vec::new();
    for index in 0..6 {
        campaigns.push(create_campaign(&app, &editor, &plan, &format!("C{index}"), &[]).await);
    }
    approve(&app, &editor, &admin, &plan).await;
    let writes = campaigns.iter().map(|campaign| {
        mutate(
            &app,
            &editor,
            "updateCampaign",
            "campaign { budget } userErrors { field code }",
            json!({ "id": campaign, "expectedVersion": 1, "budget": "2000" }),
        )
    });
    for body in futures::future::join_all(writes).await {
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(
            body["data"]["updateCampaign"]["userErrors"],
            json!([]),
            "{body}"
        );
        assert_eq!(
            body["data"]["updateCampaign"]["campaign"]["budget"],
            "2000.00"
        );
    }
    let review = plan_state(&app, &editor, &plan).await["review"].clone();
    assert_eq!(review["state"], "DRAFT");
    assert_eq!(kinds(&review), ["SUBMITTED", "APPROVED", "REOPENED"]);
}

/// `Plan.review` batches: listing 4 or 6 plans with their reviews, events and approvals runs
/// the same number of statements.
#[tokio::test]
async fn reviews_of_many_plans_load_in_a_fixed_number_of_statements() {
    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let query = "{ plans(first: 10) { nodes { review { state approvedVersion \
                 approval { actorSubject } events { kind plan { name } } } } } }";
    let mut counts = Vec::new();
    for round in 0..3 {
        let plan = create_plan(&app, &editor, &format!("Plan {round}")).await;
        approve(&app, &editor, &admin, &plan).await;
        create_plan(&app, &editor, &format!("Draft {round}")).await;
        if round > 0 {
            let (count, data) = min_statements(&app, &editor, query, json!({})).await;
            assert_eq!(
                data["plans"]["nodes"].as_array().map(Vec::len),
                Some(2 * (round + 1))
            );
            counts.push(count);
        }
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
}

/// The README's "Review and approval" operations, in order, as written there.
#[tokio::test]
async fn the_readme_examples_run_as_written() {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## Review and approval")
        .expect("the README has the section");
    let section = &readme[start..];
    let block_start = section.find("```graphql\n").expect("a GraphQL block") + 11;
    let block_len = section[block_start..].find("```").expect("its end");
    let document = &section[block_start..block_start + block_len];

    let app = TestApp::spawn().await;
    let editor = token_of("acme", "editor", "bob");
    let admin = token_of("acme", "admin", "alice");
    let plan = create_plan(&app, &editor, "Plan 2027").await;
    let run = |token: String, operation: &'static str, variables: Value| {
        let app = &app;
        async move {
            let (status, body) = app
                .post(
                    Some(&token),
                    &[],
                    &json!({ "query": document, "operationName": operation, "variables": variables }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{operation}: {body}");
            assert!(body.get("errors").is_none(), "{operation}: {body}");
            body["data"].clone()
        }
    };
    let at = |version: i64| json!({ "plan": plan, "version": version });

    let data = run(editor.clone(), "Submit", at(1)).await;
    assert_eq!(data["submitPlanForReview"]["review"]["state"], "IN_REVIEW");
    let data = run(admin.clone(), "RequestChanges", at(1)).await;
    assert_eq!(
        data["requestPlanChanges"]["review"],
        json!({ "state": "DRAFT", "events": [
            { "kind": "SUBMITTED", "actorSubject": "bob", "note": "Ready for the Q1 review" },
            { "kind": "CHANGES_REQUESTED", "actorSubject": "alice", "note": "Move 2,000 EUR from SEA to SEO" },
        ] })
    );
    run(editor.clone(), "Submit", at(1)).await;
    let data = run(admin.clone(), "Approve", at(1)).await;
    let review = &data["approvePlan"]["review"];
    assert_eq!(review["state"], "APPROVED");
    assert_eq!(review["approvedVersion"], 1);
    assert_eq!(review["approval"]["actorSubject"], "alice");
    assert_eq!(review["approval"]["actorRole"], "ADMIN");
    let data = run(editor.clone(), "ReviewHistory", json!({ "plan": plan })).await;
    let history = &data["plan"]["review"];
    assert_eq!(
        history["lastApproval"],
        json!({ "planVersion": 1, "actorSubject": "alice" })
    );
    assert_eq!(
        kinds(history),
        ["SUBMITTED", "CHANGES_REQUESTED", "SUBMITTED", "APPROVED"]
    );
    let data = run(admin.clone(), "Approvers", json!({ "version": 1 })).await;
    assert_eq!(
        data["updateTenant"]["tenant"],
        json!({ "version": 2, "reviewSettings": {
            "approverRole": "ADMIN", "approvers": ["carol"], "approvedBudgetChanges": "REFUSE" } })
    );
}

#[tokio::test]
async fn an_approval_waits_for_the_plan_s_comment_threads_to_be_resolved() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let admin = app.token("acme", "admin");
    let viewer = app.token("acme", "viewer");
    let plan = create_plan(&app, &editor, "Reviewed with comments").await;
    let campaign = create_campaign(&app, &editor, &plan, "Spring", &[]).await;
    let other_plan = create_plan(&app, &editor, "Elsewhere").await;
    let comment_on = |target: String, body: &'static str| {
        let app = &app;
        let viewer = viewer.clone();
        async move {
            mutate_ok(
                app,
                &viewer,
                "addComment",
                "comment { id version } userErrors { field code }",
                json!({ "targetId": target, "body": body }),
            )
            .await["comment"]
                .clone()
        }
    };
    let thread = comment_on(campaign.clone(), "Is April's budget enough?").await;
    // A reply is part of its thread, and another plan's thread is not this plan's.
    comment_on(thread["id"].as_str().unwrap().to_owned(), "Ask the agency").await;
    comment_on(other_plan.clone(), "Unrelated").await;

    let submitted = step(&app, &editor, "submitPlanForReview", &plan, None).await;
    assert_eq!(submitted["review"]["state"], "IN_REVIEW", "{submitted}");
    let refused = step(&app, &admin, "approvePlan", &plan, None).await;
    assert_eq!(user_errors(&refused), ["input.planId: INVALID_TRANSITION"]);
    let message = refused["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.starts_with("1 comment thread(s)"), "{message}");
    assert_eq!(refused["review"]["state"], Value::Null, "{refused}");
    assert_eq!(
        plan_state(&app, &admin, &plan).await["review"]["state"],
        "IN_REVIEW"
    );

    let resolved = mutate_ok(
        &app,
        &viewer,
        "resolveCommentThread",
        "comment { resolved } userErrors { field code }",
        json!({ "id": thread["id"], "expectedVersion": thread["version"] }),
    )
    .await;
    assert_eq!(resolved["comment"]["resolved"], true, "{resolved}");
    let approved = step(&app, &admin, "approvePlan", &plan, None).await;
    assert_eq!(approved["review"]["state"], "APPROVED", "{approved}");
}
