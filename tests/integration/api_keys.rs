//! API keys: created by admins with scopes, shown once, stored as a digest, listed without
//! secrets, revocable at once; a key authenticates as a principal of its tenant that may do only
//! what its scopes allow, through root fields and nested loaders alike.

use chrono::{DateTime, Duration, Utc};
use entity::api_key;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::{
    TestApp, create_campaign, create_objective, create_persona, create_plan, error_code, mutate,
    mutate_ok, node, user_errors,
};

const KEY_FIELDS: &str = "id name prefix scopes createdAt createdBy lastUsedAt expiresAt revokedAt";

/// A created key: its global ID, its secret and its prefix as the API returned them.
struct Created {
    id: String,
    secret: String,
    payload: Value,
}

async fn create_key(app: &TestApp, admin: &str, name: &str, scopes: &[&str]) -> Created {
    let payload = mutate_ok(
        app,
        admin,
        "createApiKey",
        &format!("apiKey {{ {KEY_FIELDS} }} secret userErrors {{ field code }}"),
        json!({ "name": name, "scopes": scopes }),
    )
    .await;
    assert_eq!(user_errors(&payload), Vec::<String>::new());
    Created {
        id: payload["apiKey"]["id"].as_str().unwrap().to_owned(),
        secret: payload["secret"].as_str().unwrap().to_owned(),
        payload,
    }
}

async fn list_keys(app: &TestApp, admin: &str) -> Value {
    app.data(
        admin,
        &format!("{{ apiKeys {{ totalCount nodes {{ {KEY_FIELDS} }} }} }}"),
        json!({}),
    )
    .await["apiKeys"]
        .clone()
}

/// The stored row of the key with this secret, found by the secret's prefix in the table.
async fn stored_row(app: &TestApp, secret: &str) -> api_key::Model {
    api_key::Entity::find()
        .filter(api_key::Column::Prefix.eq(&secret[4..12]))
        .one(app.app.database())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no stored row for {secret}"))
}

fn hex_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn instant(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(
        value
            .as_str()
            .unwrap_or_else(|| panic!("not a DateTime: {value}")),
    )
    .unwrap()
    .with_timezone(&Utc)
}

#[tokio::test]
async fn the_secret_is_shown_once_and_only_its_digest_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let created = create_key(&app, &admin, "Power BI", &["READ_KPIS", "READ_PLANS"]).await;

    // lvk_ + 32 random bytes in unpadded base64url (43 characters).
    assert!(created.secret.starts_with("lvk_"), "{}", created.secret);
    assert_eq!(created.secret.len(), 4 + 43);
    assert!(
        created.secret[4..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    let key = &created.payload["apiKey"];
    assert_eq!(key["name"], "Power BI");
    assert_eq!(key["prefix"], created.secret[4..12]);
    assert_eq!(key["scopes"], json!(["READ_KPIS", "READ_PLANS"]));
    assert_eq!(key["createdBy"], "acme-admin-user");
    assert_eq!(key["lastUsedAt"], Value::Null);
    assert_eq!(key["expiresAt"], Value::Null);
    assert_eq!(key["revokedAt"], Value::Null);

    // A second key has another secret.
    let other = create_key(&app, &admin, "Loader", &["WRITE_MEASUREMENTS"]).await;
    assert_ne!(other.secret, created.secret);

    // Listing (and node) never shows a secret; the type has no field that could.
    let listed = list_keys(&app, &admin).await;
    assert_eq!(listed["totalCount"], 2);
    assert_eq!(listed["nodes"][0]["id"], created.id.as_str());
    assert_eq!(listed["nodes"][0]["prefix"], created.secret[4..12]);
    assert_eq!(listed["nodes"][1]["id"], other.id.as_str());
    let text = listed.to_string();
    assert!(!text.contains(&created.secret[12..]) && !text.contains(&other.secret[12..]));
    let fields = app
        .data(
            &admin,
            "{ __type(name: \"ApiKey\") { fields { name } } }",
            json!({}),
        )
        .await;
    let names: Vec<&str> = fields["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(
        names
            .iter()
            .all(|name| !name.to_lowercase().contains("secret")
                && !name.to_lowercase().contains("hash")),
        "{names:?}"
    );
    let by_node = node(&app, &admin, &created.id, "... on ApiKey { name prefix }").await;
    assert_eq!(
        by_node,
        json!({ "name": "Power BI", "prefix": &created.secret[4..12] })
    );

    // The stored row holds the digest and the prefix, never the secret.
    let row = stored_row(&app, &created.secret).await;
    assert_eq!(row.secret_hash, hex_sha256(&created.secret));
    assert_eq!(row.prefix, created.secret[4..12]);
    for column in [&row.name, &row.prefix, &row.secret_hash, &row.created_by] {
        assert!(!column.contains(&created.secret[12..]), "{column}");
    }
}

#[tokio::test]
async fn a_key_authenticates_only_within_its_scopes_and_tenant() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let persona = create_persona(&app, &admin, "Sophie").await;
    let plan = create_plan(&app, &admin, "Plan 2027").await;
    let campaign = create_campaign(&app, &admin, &plan, "Spring", &[&persona]).await;
    let kpis_key = create_key(&app, &admin, "BI", &["READ_KPIS"]).await;
    let plans_key = create_key(&app, &admin, "Plans", &["READ_PLANS"]).await;
    let every_key = create_key(
        &app,
        &admin,
        "All",
        &["READ_KPIS", "READ_PLANS", "WRITE_MEASUREMENTS"],
    )
    .await;

    // viewer: the key's tenant, its prefix as subject, VIEWER, and its scopes.
    let viewer = app
        .data(
            &kpis_key.secret,
            "{ viewer { subject role apiKeyScopes tenant { key } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        viewer["viewer"],
        json!({ "subject": format!("api-key:{}", &kpis_key.secret[4..12]), "role": "VIEWER",
                "apiKeyScopes": ["READ_KPIS"], "tenant": { "key": "acme" } })
    );
    let user_viewer = app
        .data(&admin, "{ viewer { role apiKeyScopes } }", json!({}))
        .await;
    assert_eq!(
        user_viewer["viewer"],
        json!({ "role": "ADMIN", "apiKeyScopes": null })
    );

    // READ_KPIS reads the catalogue, not plans — neither at the root nor through loaders.
    let catalogue = app
        .data(&kpis_key.secret, "{ kpiDefinitions { key } }", json!({}))
        .await;
    assert!(
        catalogue["kpiDefinitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|kpi| kpi["key"] == "cpa")
    );
    let plans = app
        .gql(&kpis_key.secret, "{ plans { nodes { name } } }", json!({}))
        .await;
    assert_eq!(error_code(&plans), Some("FORBIDDEN"), "{plans}");
    for id in [&plan, &campaign, &persona] {
        let body = app
            .gql(
                &kpis_key.secret,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }

    // READ_PLANS reads plans and their nested lists, but not the KPI catalogue.
    let read = app
        .data(
            &plans_key.secret,
            "{ plans { nodes { name campaigns { nodes { name personas { name } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        read["plans"]["nodes"],
        json!([{ "name": "Plan 2027", "campaigns": { "nodes": [
            { "name": "Spring", "personas": [{ "name": "Sophie" }] }] } }])
    );
    // The KPI catalogue is what objectives refer to: plan readers read it too.
    let catalogue = app
        .data(&plans_key.secret, "{ kpiDefinitions { key } }", json!({}))
        .await;
    assert!(
        catalogue["kpiDefinitions"]
            .as_array()
            .is_some_and(|all| all.iter().any(|kpi| kpi["key"] == "ctr")),
        "{catalogue}"
    );
    create_objective(&app, &admin, &plan, "CPA under 20").await;
    let nested = app
        .data(
            &plans_key.secret,
            "{ plans { nodes { objectives { title kpi { key } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        nested["plans"]["nodes"][0]["objectives"],
        json!([{ "title": "CPA under 20", "kpi": { "key": "cpa" } }])
    );
    let both = app
        .data(
            &every_key.secret,
            "{ plans { nodes { objectives { title kpi { key } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        both["plans"]["nodes"][0]["objectives"],
        json!([{ "title": "CPA under 20", "kpi": { "key": "cpa" } }])
    );

    // WRITE_MEASUREMENTS alone reads neither plans nor KPIs, only who it is.
    let writer = create_key(&app, &admin, "Loader", &["WRITE_MEASUREMENTS"]).await;
    let me = app
        .data(
            &writer.secret,
            "{ viewer { apiKeyScopes tenant { key } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["viewer"],
        json!({ "apiKeyScopes": ["WRITE_MEASUREMENTS"], "tenant": { "key": "acme" } })
    );
    for query in ["{ plans { totalCount } }", "{ kpiDefinitions { key } }"] {
        let body = app.gql(&writer.secret, query, json!({})).await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{query}: {body}");
    }

    // No key writes the plan, deletes, or manages keys, whatever its scopes.
    for key in [&kpis_key, &plans_key, &every_key] {
        let create = mutate(
            &app,
            &key.secret,
            "createPlan",
            "plan { id }",
            json!({ "name": "Nope", "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                    "budget": "1" }),
        )
        .await;
        assert_eq!(error_code(&create), Some("FORBIDDEN"), "{create}");
        let delete = mutate(
            &app,
            &key.secret,
            "deletePlan",
            "deletedId",
            json!({ "id": plan }),
        )
        .await;
        assert_eq!(error_code(&delete), Some("FORBIDDEN"), "{delete}");
        let create_key = mutate(
            &app,
            &key.secret,
            "createApiKey",
            "secret",
            json!({ "name": "escalation", "scopes": ["READ_PLANS"] }),
        )
        .await;
        assert_eq!(error_code(&create_key), Some("FORBIDDEN"), "{create_key}");
        let list = app
            .gql(&key.secret, "{ apiKeys { totalCount } }", json!({}))
            .await;
        assert_eq!(error_code(&list), Some("FORBIDDEN"), "{list}");
    }
    let plans_after = app
        .data(
            &admin,
            "{ plans { totalCount } apiKeys { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        plans_after,
        json!({ "plans": { "totalCount": 1 }, "apiKeys": { "totalCount": 4 } })
    );

    // The tenant header may name the key's own tenant, never another one.
    let query = json!({ "query": "{ viewer { tenant { key } } }" });
    let (status, body) = app
        .post(
            Some(&kpis_key.secret),
            &[("X-Levier-Tenant", "acme")],
            &query,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["viewer"]["tenant"]["key"], "acme");
    let (status, body) = app
        .post(
            Some(&kpis_key.secret),
            &[("X-Levier-Tenant", "globex")],
            &query,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
}

async fn assert_refused(app: &TestApp, secret: &str) {
    let (status, body) = app
        .post(
            Some(secret),
            &[],
            &json!({ "query": "{ viewer { subject } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
}

#[tokio::test]
async fn revoked_expired_and_wrong_keys_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let revoked = create_key(&app, &admin, "To revoke", &["READ_KPIS"]).await;
    let expiring = mutate_ok(
        &app,
        &admin,
        "createApiKey",
        "apiKey { id expiresAt } secret",
        json!({ "name": "Expiring", "scopes": ["READ_KPIS"], "expiresAt": "2099-01-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(
        instant(&expiring["apiKey"]["expiresAt"]),
        instant(&json!("2099-01-01T00:00:00Z"))
    );
    let expiring_secret = expiring["secret"].as_str().unwrap().to_owned();
    let valid = create_key(&app, &admin, "Valid", &["READ_KPIS"]).await;

    // All work before.
    for secret in [&revoked.secret, &expiring_secret, &valid.secret] {
        app.data(secret, "{ viewer { subject } }", json!({})).await;
    }

    // Revoked: refused at once; revoking again succeeds and keeps the first time.
    let first = mutate_ok(
        &app,
        &admin,
        "revokeApiKey",
        "apiKey { id revokedAt } userErrors { code }",
        json!({ "id": revoked.id }),
    )
    .await;
    let revoked_at = first["apiKey"]["revokedAt"].clone();
    assert!(revoked_at.is_string(), "{first}");
    assert_refused(&app, &revoked.secret).await;
    let again = mutate_ok(
        &app,
        &admin,
        "revokeApiKey",
        "apiKey { id revokedAt } userErrors { code }",
        json!({ "id": revoked.id }),
    )
    .await;
    assert_eq!(again["apiKey"]["revokedAt"], revoked_at);
    assert_refused(&app, &revoked.secret).await;

    // Expired: move its expiry into the past directly in the table.
    let row = stored_row(&app, &expiring_secret).await;
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(api_key::Column::Id.eq(row.id))
        .exec(app.app.database())
        .await
        .unwrap();
    assert_refused(&app, &expiring_secret).await;

    // A wrong secret with a valid prefix, a truncated one, and garbage.
    let mut wrong = valid.secret.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == 'A' { 'B' } else { 'A' });
    assert_refused(&app, &wrong).await;
    assert_refused(&app, &valid.secret[..20]).await;
    assert_refused(&app, "lvk_").await;
    assert_refused(&app, "lvk_not-a-key-at-all-not-a-key-at-all-00000").await;

    // The valid key still works.
    app.data(&valid.secret, "{ viewer { subject } }", json!({}))
        .await;
}

#[tokio::test]
async fn only_admins_manage_keys() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let key = create_key(&app, &admin, "BI", &["READ_KPIS"]).await;
    for role in ["viewer", "editor"] {
        let token = app.token("acme", role);
        let create = mutate(
            &app,
            &token,
            "createApiKey",
            "secret",
            json!({ "name": "mine", "scopes": ["READ_KPIS"] }),
        )
        .await;
        assert_eq!(error_code(&create), Some("FORBIDDEN"), "{role}: {create}");
        let revoke = mutate(
            &app,
            &token,
            "revokeApiKey",
            "apiKey { id }",
            json!({ "id": key.id }),
        )
        .await;
        assert_eq!(error_code(&revoke), Some("FORBIDDEN"), "{role}: {revoke}");
        let list = app
            .gql(&token, "{ apiKeys { totalCount } }", json!({}))
            .await;
        assert_eq!(error_code(&list), Some("FORBIDDEN"), "{role}: {list}");
        let by_node = app
            .gql(
                &token,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": key.id }),
            )
            .await;
        assert_eq!(error_code(&by_node), Some("FORBIDDEN"), "{role}: {by_node}");
        // Users of every role read the KPI catalogue.
        app.data(&token, "{ kpiDefinitions { key } }", json!({}))
            .await;
    }
    // Nothing was written: one key, still active, still working.
    let listed = list_keys(&app, &admin).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["revokedAt"], Value::Null);
    app.data(&key.secret, "{ viewer { subject } }", json!({}))
        .await;
}

#[tokio::test]
async fn invalid_input_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let payload = mutate_ok(
        &app,
        &admin,
        "createApiKey",
        "apiKey { id } secret userErrors { field code }",
        json!({ "name": "  ", "scopes": [], "expiresAt": "2020-01-01T00:00:00Z" }),
    )
    .await;
    assert_eq!(
        user_errors(&payload),
        vec![
            "input.name: REQUIRED",
            "input.scopes: REQUIRED",
            "input.expiresAt: OUT_OF_RANGE"
        ]
    );
    assert_eq!(payload["apiKey"], Value::Null);
    assert_eq!(payload["secret"], Value::Null);
    let long = mutate_ok(
        &app,
        &admin,
        "createApiKey",
        "apiKey { id } userErrors { field code }",
        json!({ "name": "x".repeat(201), "scopes": ["READ_KPIS"] }),
    )
    .await;
    assert_eq!(user_errors(&long), vec!["input.name: TOO_LONG"]);
    assert_eq!(list_keys(&app, &admin).await["totalCount"], 0);
    assert!(
        api_key::Entity::find()
            .all(app.app.database())
            .await
            .unwrap()
            .is_empty()
    );

    // Repeated scopes are kept once, in a stable order.
    let created = mutate_ok(
        &app,
        &admin,
        "createApiKey",
        "apiKey { scopes } userErrors { code }",
        json!({ "name": "dup", "scopes": ["READ_PLANS", "READ_KPIS", "READ_PLANS"] }),
    )
    .await;
    assert_eq!(
        created["apiKey"]["scopes"],
        json!(["READ_KPIS", "READ_PLANS"])
    );

    // A malformed ID to revoke is NOT_FOUND.
    let revoke = mutate(
        &app,
        &admin,
        "revokeApiKey",
        "apiKey { id }",
        json!({ "id": "nope" }),
    )
    .await;
    assert_eq!(error_code(&revoke), Some("NOT_FOUND"), "{revoke}");
}

#[tokio::test]
async fn last_use_is_recorded_at_most_once_a_minute() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let key = create_key(&app, &admin, "BI", &["READ_KPIS"]).await;
    let created_at = instant(&key.payload["apiKey"]["createdAt"]);

    app.data(&key.secret, "{ kpiDefinitions { key } }", json!({}))
        .await;
    let first = list_keys(&app, &admin).await["nodes"][0]["lastUsedAt"].clone();
    assert!(first.is_string(), "{first}");
    assert!(instant(&first) >= created_at);

    // A second use within the minute writes nothing.
    app.data(&key.secret, "{ kpiDefinitions { key } }", json!({}))
        .await;
    let second = list_keys(&app, &admin).await["nodes"][0]["lastUsedAt"].clone();
    assert_eq!(second, first);

    // Once the recorded use is older than a minute, the next use records again.
    let row = stored_row(&app, &key.secret).await;
    let long_ago = Utc::now() - Duration::minutes(5);
    api_key::Entity::update_many()
        .col_expr(api_key::Column::LastUsedAt, Expr::value(long_ago))
        .filter(api_key::Column::Id.eq(row.id))
        .exec(app.app.database())
        .await
        .unwrap();
    app.data(&key.secret, "{ kpiDefinitions { key } }", json!({}))
        .await;
    let third = instant(&list_keys(&app, &admin).await["nodes"][0]["lastUsedAt"]);
    assert!(third > long_ago + Duration::minutes(4), "{third}");
}

#[tokio::test]
async fn another_tenant_cannot_see_or_revoke_a_key() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "admin");
    let key = create_key(&app, &acme, "BI", &["READ_PLANS"]).await;
    let acme_plan = create_plan(&app, &acme, "Acme plan").await;
    let globex = app.token("globex", "admin");
    let globex_key = create_key(&app, &globex, "Globex BI", &["READ_PLANS"]).await;
    create_plan(&app, &globex, "Globex plan").await;

    assert_eq!(node(&app, &globex, &key.id, "id").await, Value::Null);
    let listed = list_keys(&app, &globex).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["nodes"][0]["id"], globex_key.id.as_str());
    let revoke = mutate(
        &app,
        &globex,
        "revokeApiKey",
        "apiKey { id }",
        json!({ "id": key.id }),
    )
    .await;
    assert_eq!(error_code(&revoke), Some("NOT_FOUND"), "{revoke}");

    // Acme's key is unchanged and still reads acme's plans only; globex's key reads globex's.
    let acme_listed = list_keys(&app, &acme).await;
    assert_eq!(acme_listed["nodes"][0]["revokedAt"], Value::Null);
    let plans = app
        .data(&key.secret, "{ plans { nodes { id name } } }", json!({}))
        .await;
    assert_eq!(
        plans["plans"]["nodes"],
        json!([{ "id": acme_plan, "name": "Acme plan" }])
    );
    let plans = app
        .data(
            &globex_key.secret,
            "{ plans { nodes { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(plans["plans"]["nodes"], json!([{ "name": "Globex plan" }]));
    // A key cannot reach another tenant's objects by ID.
    let foreign = app
        .data(
            &globex_key.secret,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": acme_plan }),
        )
        .await;
    assert_eq!(foreign["node"], Value::Null);
}

#[tokio::test]
async fn listing_keys_costs_the_same_for_one_or_ten() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let query = format!("{{ apiKeys(first: 50) {{ totalCount nodes {{ {KEY_FIELDS} }} }} }}");
    let mut counts = Vec::new();
    for total in [1, 10] {
        while list_keys(&app, &admin).await["totalCount"]
            .as_u64()
            .unwrap()
            < total
        {
            create_key(&app, &admin, "key", &["READ_KPIS"]).await;
        }
        app.data(&admin, &query, json!({})).await;
        let before = app.statements();
        let data = app.data(&admin, &query, json!({})).await;
        counts.push(app.statements() - before);
        assert_eq!(data["apiKeys"]["totalCount"], total);
    }
    println!("apiKeys statements for 1 and 10 keys: {counts:?}");
    assert_eq!(counts[0], counts[1], "{counts:?}");

    // An API-key request costs a fixed number of authentication statements (key, tenant,
    // last-use update) on top of its query.
    let key = create_key(&app, &admin, "BI", &["READ_KPIS"]).await;
    let kpis = "{ kpiDefinitions { key } }";
    app.data(&key.secret, kpis, json!({})).await;
    let before = app.statements();
    app.data(&key.secret, kpis, json!({})).await;
    let with_key = app.statements() - before;
    let before = app.statements();
    app.data(&admin, kpis, json!({})).await;
    let with_token = app.statements() - before;
    println!("kpiDefinitions statements: API key {with_key}, JWT {with_token}");
    assert_eq!(with_key, with_token + 3);
}

/// A GET of `path` with `Authorization: Basic base64(user:password)`.
async fn get_with_basic(
    app: &TestApp,
    path: &str,
    user: &str,
    password: &str,
) -> reqwest::Response {
    use base64::{Engine, engine::general_purpose::STANDARD};
    let credentials = STANDARD.encode(format!("{user}:{password}"));
    app.client
        .get(format!("{}{path}", app.address))
        .header("Authorization", format!("Basic {credentials}"))
        .send()
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn bi_tools_read_the_csv_exports_with_an_api_key_as_basic_password() {
    let app = TestApp::spawn().await;
    let admin = app.token("acme", "admin");
    let key = create_key(&app, &admin, "Power BI", &["READ_KPIS"]).await;
    let measurements = "/export/measurements.csv?from=2027-01-01&to=2027-01-31";
    let series = "/export/kpi-series.csv?kpis=clicks&from=2027-01-01&to=2027-12-31&grain=MONTH";

    // Excel and Power BI send a user name too; any one will do.
    for (path, header) in [(measurements, "date,kpi_key,value"), (series, "")] {
        let response = get_with_basic(&app, path, "powerbi", &key.secret).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.starts_with(header), "{path}: {body}");
    }
    let empty_user = get_with_basic(&app, measurements, "", &key.secret).await;
    assert_eq!(empty_user.status(), StatusCode::OK);

    // Without a credential, the exports name both schemes they take.
    let anonymous = app
        .client
        .get(format!("{}{measurements}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let challenge = anonymous.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.starts_with("Bearer, Basic realm="), "{challenge}");

    // Basic carries API keys only: a JWT as the password, a wrong key, a malformed value, are 401.
    for (case, user, password) in [
        ("a JWT", "bob", admin.as_str()),
        (
            "an unknown key",
            "bob",
            "lvk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ),
        ("no password", "bob", ""),
    ] {
        let response = get_with_basic(&app, measurements, user, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{case}: {body}");
    }
    let malformed = app
        .client
        .get(format!("{}{measurements}", app.address))
        .header("Authorization", "Basic not base64!")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::UNAUTHORIZED);

    // Only the exports take Basic: GraphQL and the plan document want a bearer credential.
    use base64::{Engine, engine::general_purpose::STANDARD};
    let basic = format!("Basic {}", STANDARD.encode(format!("bi:{}", key.secret)));
    let (status, body) = app
        .post(
            None,
            &[("Authorization", basic.as_str())],
            &json!({ "query": "{ viewer { subject } }" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    // Never in the query string: a key there is no credential (and an unknown parameter).
    let in_query = app
        .client
        .get(format!(
            "{}{measurements}&api_key={}",
            app.address, key.secret
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(in_query.status(), StatusCode::UNAUTHORIZED);
    let with_bearer_too = app
        .client
        .get(format!(
            "{}{measurements}&api_key={}",
            app.address, key.secret
        ))
        .bearer_auth(&key.secret)
        .send()
        .await
        .unwrap();
    assert_eq!(with_bearer_too.status(), StatusCode::BAD_REQUEST);

    // A revoked key is refused through Basic as through Bearer.
    mutate_ok(
        &app,
        &admin,
        "revokeApiKey",
        "apiKey { id } userErrors { code }",
        json!({ "id": key.id }),
    )
    .await;
    let revoked = get_with_basic(&app, measurements, "powerbi", &key.secret).await;
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
}
