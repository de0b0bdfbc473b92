//! `updateTenant`: an ADMIN changes the tenant's name and default currency, versioned, validated,
//! and never anyone else's tenant.

use serde_json::{Value, json};

use crate::support::{TestApp, error_code, mutate, mutate_ok, user_errors};

const SELECTION: &str = "tenant { key name currency version } userErrors { field message code }";

async fn tenant(app: &TestApp, token: &str) -> Value {
    app.data(
        token,
        "{ viewer { tenant { key name currency version } } }",
        json!({}),
    )
    .await["viewer"]["tenant"]
        .clone()
}

#[tokio::test]
async fn an_admin_renames_the_tenant_and_changes_the_currency_of_new_plans() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let before = tenant(&app, &admin).await;
    assert_eq!(
        before,
        json!({ "key": "acme", "name": "acme", "currency": "EUR", "version": 1 })
    );

    let payload = mutate_ok(
        &app,
        &admin,
        "updateTenant",
        SELECTION,
        json!({ "expectedVersion": 1, "name": "Acme Corp", "currency": "CHF" }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    assert_eq!(
        payload["tenant"],
        json!({ "key": "acme", "name": "Acme Corp", "currency": "CHF", "version": 2 })
    );
    let plan = app
        .data(
            &admin,
            "mutation { createPlan(input: { name: \"P\", periodStart: \"2027-01-01\", periodEnd: \"2027-12-31\", budget: \"10\" }) { plan { currency } } }",
            json!({}),
        )
        .await;
    assert_eq!(plan["createPlan"]["plan"]["currency"], "CHF");

    // A stale version is a conflict; nothing changes.
    let stale = mutate(
        &app,
        &admin,
        "updateTenant",
        SELECTION,
        json!({ "expectedVersion": 1, "name": "Old" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    assert_eq!(tenant(&app, &admin).await["name"], "Acme Corp");
}

#[tokio::test]
async fn bad_settings_are_refused_whole() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "updateTenant",
        SELECTION,
        json!({ "expectedVersion": 1, "name": "  ", "currency": "euro" }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        ["input.name: REQUIRED", "input.currency: INVALID"]
    );
    assert_eq!(payload["tenant"], Value::Null);
    assert_eq!(
        tenant(&app, &admin).await,
        json!({ "key": "acme", "name": "acme", "currency": "EUR", "version": 1 })
    );
}

#[tokio::test]
async fn only_an_admin_changes_settings_and_only_of_its_own_tenant() {
    let app = TestApp::spawn().await;
    for role in ["viewer", "editor"] {
        let token = app.token("acme", role);
        let body = mutate(
            &app,
            &token,
            "updateTenant",
            SELECTION,
            json!({ "expectedVersion": 1, "name": "X" }),
        )
        .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{role}: {body}");
    }
    let globex = app.token("globex", "admin");
    mutate_ok(
        &app,
        &globex,
        "updateTenant",
        SELECTION,
        json!({ "expectedVersion": 1, "name": "Globex" }),
    )
    .await;
    let acme = app.token("acme", "admin");
    assert_eq!(
        tenant(&app, &acme).await["name"],
        "acme",
        "acme is untouched"
    );
    assert_eq!(tenant(&app, &globex).await["name"], "Globex");
}
