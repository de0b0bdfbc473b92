//! The test harness: starts the real application (the same `build_app` as `main`) on a random
//! port, on a fresh database per test, mints real tokens, and speaks GraphQL over HTTP.
//!
//! SQLite (`sqlite::memory:`, private to the test) by default; PostgreSQL when
//! `LEVIER_TEST_DATABASE_URL` names a database, in which each test gets its own schema.

#![allow(dead_code)]

use std::{collections::BTreeMap, net::TcpListener};

use levier::{
    App, Config,
    auth::{Claims, jwt::mint_hs256},
    config::DEVELOPMENT_SECRET,
};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// The environment variable naming a PostgreSQL database for the tests.
pub const POSTGRES_URL_VARIABLE: &str = "LEVIER_TEST_DATABASE_URL";

/// A running application and a client for it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The application behind the server (for the statement counter and direct reads).
    pub app: App,
    /// The database URL it was started on, to start another server on the same database.
    pub database_url: String,
    /// The SQLite file of a [`TestApp::spawn_pooled_with`] server, deleted with the app.
    database_file: Option<TempDatabaseFile>,
}

/// An SQLite database file in the temporary directory, deleted (with its WAL and shared-memory
/// files) when dropped.
struct TempDatabaseFile(std::path::PathBuf);

impl TempDatabaseFile {
    fn new() -> Self {
        Self(std::env::temp_dir().join(format!(
            "levier-test-{}.sqlite",
            uuid::Uuid::now_v7().simple()
        )))
    }

    fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.0.display())
    }
}

impl Drop for TempDatabaseFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A fresh database URL: a private in-memory SQLite database, or a new schema in the
/// PostgreSQL database named by `LEVIER_TEST_DATABASE_URL`.
pub async fn fresh_database_url() -> String {
    match std::env::var(POSTGRES_URL_VARIABLE) {
        Ok(base) if !base.trim().is_empty() => {
            let schema = format!("test_{}", uuid::Uuid::now_v7().simple());
            let admin = Database::connect(base.as_str())
                .await
                .unwrap_or_else(|e| panic!("cannot reach {base}: {e}"));
            admin
                .execute_unprepared(&format!("CREATE SCHEMA \"{schema}\""))
                .await
                .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
            let _ = admin.close().await;
            let separator = if base.contains('?') { '&' } else { '?' };
            format!("{base}{separator}options=-c%20search_path%3D{schema}")
        }
        _ => "sqlite::memory:".to_owned(),
    }
}

/// This test binary, to run again as a child process (a server in an ignored test). On Linux
/// it is `/proc/self/exe`, which stays this very file even when cargo relinks the binary while
/// the tests run (`startup_messages` builds the workspace's tests to get the `levier` binary):
/// `current_exe()` would then name a deleted file, and the spawn would fail.
pub fn this_test_binary() -> std::path::PathBuf {
    let proc_self = std::path::Path::new("/proc/self/exe");
    if proc_self.exists() {
        return proc_self.to_path_buf();
    }
    std::env::current_exe().expect("the test binary's path")
}

/// True when the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(POSTGRES_URL_VARIABLE).is_ok_and(|url| !url.trim().is_empty())
}

impl TestApp {
    /// Starts the application with the development configuration on a fresh database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the application after `adjust` has changed the configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_on_with(fresh_database_url().await, adjust).await
    }

    /// Starts the application on a database served by a real pool of connections, as in
    /// production: a fresh SQLite file in the temporary directory (the in-memory database of
    /// [`TestApp::spawn`] has one connection, which serialises every statement and hides what
    /// concurrent connections do to each other), or a fresh PostgreSQL schema as usual.
    pub async fn spawn_pooled_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let file = (!on_postgres()).then(TempDatabaseFile::new);
        let database_url = match &file {
            Some(file) => file.url(),
            None => fresh_database_url().await,
        };
        let mut app = Self::spawn_on_with(database_url, |config| {
            config.database_max_connections =
                Config::development("sqlite::memory:").database_max_connections;
            adjust(config);
        })
        .await;
        app.database_file = file;
        app
    }

    /// Starts a second server on the database of `other`, as another process of the same
    /// deployment would be (PostgreSQL only: an in-memory SQLite database is private to its
    /// server).
    pub async fn spawn_beside(other: &TestApp) -> Self {
        assert!(
            !other.database_url.starts_with("sqlite::memory:"),
            "an in-memory SQLite database cannot be shared"
        );
        Self::spawn_on_with(other.database_url.clone(), |_| {}).await
    }

    /// Starts the application on `database_url` after `adjust` has changed the configuration.
    pub async fn spawn_on_with(database_url: String, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::development(database_url.clone());
        config.workers = Some(1);
        config.database_max_connections = 5;
        adjust(&mut config);
        let app = levier::build_app(config)
            .await
            .unwrap_or_else(|e| panic!("the app does not start: {e}"));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("no port: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let server = app
            .serve(listener)
            .unwrap_or_else(|e| panic!("cannot serve: {e}"));
        tokio::spawn(server);
        Self {
            address: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            app,
            database_url,
            database_file: None,
        }
    }

    /// A token for `tenant` with `role`, signed with the development secret.
    pub fn token(&self, tenant: &str, role: &str) -> String {
        mint(&claims(tenant, role))
    }

    /// An agency token granting each (tenant, role).
    pub fn agency_token(&self, grants: &[(&str, &str)]) -> String {
        let mut claims = claims("unused", "viewer");
        claims.tid = None;
        claims.role = None;
        claims.tenants = Some(
            grants
                .iter()
                .map(|(t, r)| ((*t).to_owned(), (*r).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        );
        mint(&claims)
    }

    /// Sends a GraphQL request with optional token and extra headers; returns status and body.
    pub async fn post(
        &self,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    /// Runs a GraphQL operation as `token` and returns the whole response body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        self.post(
            Some(token),
            &[],
            &json!({ "query": query, "variables": variables }),
        )
        .await
        .1
    }

    /// Runs an operation that must succeed without errors and returns its `data`.
    pub async fn data(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// SQL statements run by the application so far.
    pub fn statements(&self) -> u64 {
        self.app.statement_count()
    }
}

fn claims(tenant: &str, role: &str) -> Claims {
    Claims {
        sub: format!("{tenant}-{role}-user"),
        tid: Some(tenant.to_owned()),
        role: Some(role.to_owned()),
        tenants: None,
        exp: (chrono::Utc::now().timestamp() + 3600) as u64,
        iat: Some(chrono::Utc::now().timestamp() as u64),
        nbf: None,
        iss: None,
        aud: None,
    }
}

/// Signs claims with the development secret.
pub fn mint(claims: &Claims) -> String {
    mint_hs256(DEVELOPMENT_SECRET, claims).unwrap_or_else(|e| panic!("cannot sign: {e}"))
}

/// The claims of a one-hour token for `tenant` and `role`, to alter before [`mint`].
pub fn base_claims(tenant: &str, role: &str) -> Claims {
    claims(tenant, role)
}

/// `body` (an answer, or a batch's list of answers) without `extensions.cost.budgetRemaining`,
/// which depends on the moment the rate limits charged it (`rate_limits` tests it).
pub fn without_budget_remaining(body: &Value) -> Value {
    let mut body = body.clone();
    let answers = match &mut body {
        Value::Array(answers) => answers.iter_mut().collect(),
        answer => vec![answer],
    };
    for answer in answers {
        if let Some(cost) = answer
            .pointer_mut("/extensions/cost")
            .and_then(Value::as_object_mut)
        {
            cost.remove("budgetRemaining");
        }
    }
    body
}

/// The `extensions.code` of the first error of a response body.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

/// The codes of a payload's `userErrors`, as `field.path: CODE` strings.
pub fn user_errors(payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    let path: Vec<&str> = e["field"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    format!("{}: {}", path.join("."), e["code"].as_str().unwrap_or(""))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Creates a plan over 2027 and returns its global ID.
pub async fn create_plan(app: &TestApp, token: &str, name: &str) -> String {
    let data = app
        .data(
            token,
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { field code } } }",
            json!({ "input": { "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "budget": "100000" } }),
        )
        .await;
    data["createPlan"]["plan"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no plan created: {data}"))
        .to_owned()
}

/// Creates a persona and returns its global ID.
pub async fn create_persona(app: &TestApp, token: &str, name: &str) -> String {
    let data = app
        .data(
            token,
            "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { persona { id } userErrors { field code } } }",
            json!({ "input": { "name": name } }),
        )
        .await;
    data["createPersona"]["persona"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no persona created: {data}"))
        .to_owned()
}

/// Creates a campaign in March 2027 of `plan_id` targeting `persona_ids`, and returns its ID.
pub async fn create_campaign(
    app: &TestApp,
    token: &str,
    plan_id: &str,
    name: &str,
    persona_ids: &[&str],
) -> String {
    let data = app
        .data(
            token,
            "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field code } } }",
            json!({ "input": {
                "planId": plan_id, "name": name, "kind": "AWARENESS", "levers": ["SEO", "SEA"],
                "personaIds": persona_ids, "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1000"
            } }),
        )
        .await;
    data["createCampaign"]["campaign"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no campaign created: {data}"))
        .to_owned()
}

/// Creates an objective measured by CPA in `plan_id`, and returns its ID.
pub async fn create_objective(app: &TestApp, token: &str, plan_id: &str, title: &str) -> String {
    let data = app
        .data(
            token,
            "mutation($input: CreateObjectiveInput!) { createObjective(input: $input) { objective { id } userErrors { field code } } }",
            json!({ "input": {
                "planId": plan_id, "title": title, "kind": "CONVERSION", "kpiKey": "cpa",
                "baseline": "40", "target": "20", "deadline": "2027-06-30"
            } }),
        )
        .await;
    data["createObjective"]["objective"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no objective created: {data}"))
        .to_owned()
}

/// Parses a decimal written in a test (`"120000.50"`).
pub fn dec(text: &str) -> rust_decimal::Decimal {
    text.parse()
        .unwrap_or_else(|e| panic!("`{text}` is not a decimal: {e}"))
}

/// The `Decimal` scalar at `value` (a JSON string), parsed; panics on anything else.
pub fn decimal_of(value: &Value) -> rust_decimal::Decimal {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("a Decimal is a string, got {value}"));
    dec(text)
}

/// Runs `mutation($input: XInput!) { field(input: $input) { selection } }`, where `XInput` is
/// the field's name capitalised, and returns the whole response body (for errors).
pub async fn mutate(
    app: &TestApp,
    token: &str,
    field: &str,
    selection: &str,
    input: Value,
) -> Value {
    let mut input_type: String = field.chars().take(1).flat_map(char::to_uppercase).collect();
    input_type.push_str(&field[1..]);
    let query = format!(
        "mutation($input: {input_type}Input!) {{ {field}(input: $input) {{ {selection} }} }}"
    );
    app.gql(token, &query, json!({ "input": input })).await
}

/// Like [`mutate`] for a mutation that must answer without GraphQL errors; returns its payload.
pub async fn mutate_ok(
    app: &TestApp,
    token: &str,
    field: &str,
    selection: &str,
    input: Value,
) -> Value {
    let body = mutate(app, token, field, selection, input).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"][field].clone()
}

/// `node(id:)` with `selection` inside `... on Type`-style fragments the caller writes.
pub async fn node(app: &TestApp, token: &str, id: &str, selection: &str) -> Value {
    let query = format!("query($id: ID!) {{ node(id: $id) {{ {selection} }} }}");
    app.data(token, &query, json!({ "id": id })).await["node"].clone()
}

/// A valid action input in March 2027 for `plan`, with `overrides` merged over it.
pub fn action_input(plan: &str, overrides: Value) -> Value {
    let mut input = json!({
        "planId": plan, "title": "Write the spring guide", "actionType": "CONTENT_PIECE",
        "lever": "CONTENT", "journeyStep": "CREATE_MESSAGES", "funnelStage": "ATTRACT",
        "startDate": "2027-03-01", "dueDate": "2027-03-31", "budget": "1000",
        "impact": 5, "confidence": 5, "ease": 5
    });
    if let (Some(fields), Some(extra)) = (input.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            fields.insert(key.clone(), value.clone());
        }
    }
    input
}

/// Creates an action of `plan` from [`action_input`] with `overrides`, and returns its ID.
pub async fn create_action(app: &TestApp, token: &str, plan: &str, overrides: Value) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createAction",
        "action { id } userErrors { field code }",
        action_input(plan, overrides),
    )
    .await;
    payload["action"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no action created: {payload}"))
        .to_owned()
}

/// A valid content item input for `plan` and `persona`, with `overrides` merged over it.
pub fn content_input(plan: &str, persona: &str, overrides: Value) -> Value {
    let mut input = json!({
        "planId": plan, "personaId": persona, "lever": "SOCIAL_MEDIA", "funnelStage": "ATTRACT",
        "message": "Spring is here", "format": "reel", "publishDate": "2027-03-15"
    });
    if let (Some(fields), Some(extra)) = (input.as_object_mut(), overrides.as_object()) {
        for (key, value) in extra {
            fields.insert(key.clone(), value.clone());
        }
    }
    input
}

/// Creates a content item from [`content_input`] with `overrides`, and returns its ID.
pub async fn create_content(
    app: &TestApp,
    token: &str,
    plan: &str,
    persona: &str,
    overrides: Value,
) -> String {
    let payload = mutate_ok(
        app,
        token,
        "createContentItem",
        "contentItem { id } userErrors { field code }",
        content_input(plan, persona, overrides),
    )
    .await;
    payload["contentItem"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no content item created: {payload}"))
        .to_owned()
}

/// The UUID inside a global ID, as 32 lowercase hex digits (which sort like the UUIDs).
pub fn uuid_hex_of(global_id: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global_id)
        .unwrap_or_else(|e| panic!("`{global_id}` is not base64: {e}"));
    let text = String::from_utf8(bytes).unwrap_or_default();
    text.split_once(':')
        .map(|(_, uuid)| uuid.to_owned())
        .unwrap_or_else(|| panic!("`{text}` is not a global ID"))
}

/// Statements run by one request of `query` (after a warm-up run), the fewest of five runs: a
/// busy machine can split a DataLoader batch, which adds statements, never removes any.
pub async fn min_statements(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
) -> (u64, Value) {
    let expected = app.data(token, query, variables.clone()).await;
    let mut fewest = u64::MAX;
    for _ in 0..5 {
        let before = app.statements();
        let data = app.data(token, query, variables.clone()).await;
        fewest = fewest.min(app.statements() - before);
        assert_eq!(data, expected, "the same request gives the same answer");
    }
    (fewest, expected)
}

/// The selection of a `recordMeasurements` payload.
pub const RECORD_SELECTION: &str = "inserted updated measurements { id kpiKey date grain value \
                                    source externalId planId campaignId actionId lever personaId } \
                                    userErrors { field message code }";

/// Records `rows` (MeasurementInput objects) and returns the payload; panics on GraphQL errors.
pub async fn record_measurements(app: &TestApp, token: &str, rows: Value) -> Value {
    mutate_ok(
        app,
        token,
        "recordMeasurements",
        RECORD_SELECTION,
        json!({ "measurements": rows }),
    )
    .await
}

/// Reads one integer straight from the database with `sql` (for checks that must not go through
/// the code under test, such as "nothing was written").
pub async fn sql_integer(app: &TestApp, sql: &str) -> i64 {
    let backend = app.app.database().get_database_backend();
    let row = app
        .app
        .database()
        .query_one_raw(sea_orm::Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"))
        .unwrap_or_else(|| panic!("`{sql}` returned no row"));
    row.try_get_by_index::<i64>(0)
        .or_else(|_| {
            row.try_get_by_index::<Option<i64>>(0)
                .map(Option::unwrap_or_default)
        })
        .unwrap_or_else(|e| panic!("`{sql}` did not return an integer: {e}"))
}
