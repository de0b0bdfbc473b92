//! Starting before the database is there: a PostgreSQL that does not answer leaves the server
//! up and unready (`/readyz` 503 with a reason, `SERVICE_UNAVAILABLE` to requests) until it
//! answers, then migrated and ready; `LEVIER_EXIT_ON_DB_FAILURE` makes it an error instead.
//! Replicas starting together on a fresh database apply the migrations once (the advisory
//! lock). `LEVIER_NO_MIGRATE` on a schema that lacks migrations stays unready, saying to run
//! `levier migrate`, until someone does.

use std::time::{Duration, Instant};

use levier::{
    Config,
    db::{self, DatabaseState, SchemaAction},
};
use migration::MigratorTrait;
use reqwest::{StatusCode, Url};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::Value;

use crate::{
    proxy::{Mode, Proxy},
    support::{
        POSTGRES_URL_VARIABLE, TestApp, create_plan, error_code, fresh_database_url, on_postgres,
    },
};

/// A PostgreSQL URL on a port where nothing listens (a port just freed).
fn closed_postgres_url() -> (String, u16) {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    (format!("postgres://levier@127.0.0.1:{port}/levier"), port)
}

/// `/readyz`'s status and body.
async fn readyz(app: &TestApp) -> (StatusCode, Value) {
    let response = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

/// Waits until `/readyz` answers 200 (the first retries come after 1 s, then 2 s).
async fn until_ready(app: &TestApp) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body) = readyz(app).await;
        if status == StatusCode::OK {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still not ready: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Asserts that a request with a credential is refused with a fast 503 `SERVICE_UNAVAILABLE`
/// that tells nothing of the database's whereabouts.
async fn assert_graphql_unavailable(app: &TestApp, hidden: &str) {
    let token = app.token("acme", "editor");
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "query": "{ plans(first: 1) { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), Some("SERVICE_UNAVAILABLE"), "{body}");
    assert!(!body.to_string().contains(hidden), "{body}");
}

#[tokio::test]
async fn an_unreachable_postgres_leaves_the_server_up_and_unready() {
    let (url, port) = closed_postgres_url();
    let app = TestApp::spawn_on_with(url, |_| {}).await;
    assert!(!app.app.database_state().is_ready());

    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "database unavailable", "{body}");
    let reason = body["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("cannot reach the database: connection refused; next attempt in "),
        "{body}"
    );
    assert!(!reason.contains(&port.to_string()), "{body}");
    assert_graphql_unavailable(&app, &port.to_string()).await;

    // The process is up, and what needs no database works.
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let (_, schema) = app
        .post(None, &[], &serde_json::json!({ "query": "{ __typename }" }))
        .await;
    assert_eq!(schema["data"]["__typename"], "Query", "{schema}");
}

#[tokio::test]
async fn exit_on_db_failure_makes_an_unreachable_postgres_an_error() {
    let (url, port) = closed_postgres_url();
    let mut config = Config::development(url);
    config.database_start.exit_on_failure = true;
    let error = levier::build_app(config).await.err().map(|e| e.to_string());
    assert_eq!(
        error,
        Some(format!(
            "cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused"
        ))
    );
}

#[tokio::test]
async fn a_postgres_that_comes_up_later_is_migrated_and_served() {
    if !on_postgres() {
        eprintln!("PostgreSQL only (set LEVIER_TEST_DATABASE_URL)");
        return;
    }
    let (proxy, url) = Proxy::in_front_of(&fresh_database_url().await).await;
    proxy.set(Mode::Refuse);
    let app = TestApp::spawn_on_with(url, |_| {}).await;

    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "database unavailable", "{body}");
    assert_graphql_unavailable(&app, &proxy.address.port().to_string()).await;

    proxy.set(Mode::Forward);
    let waited = until_ready(&app).await;
    eprintln!("ready {waited:?} after the database came up");
    // Migrated: the tables are there, and written to.
    let token = app.token("acme", "editor");
    create_plan(&app, &token, "Plan 2027").await;
    let data = app
        .data(&token, "{ plans(first: 5) { totalCount } }", Value::Null)
        .await;
    assert_eq!(data["plans"]["totalCount"], 1);
}

/// A database of its own on the test server, dropped with this guard's [`FreshDatabase::drop`].
struct FreshDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl FreshDatabase {
    async fn create() -> Self {
        let admin_url = std::env::var(POSTGRES_URL_VARIABLE).unwrap();
        let name = format!("levier_race_{}", uuid::Uuid::now_v7().simple());
        let admin = Database::connect(admin_url.as_str()).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let mut url = Url::parse(&admin_url).unwrap();
        url.set_path(&name);
        url.set_query(None);
        Self {
            admin_url,
            name,
            url: url.to_string(),
        }
    }

    async fn drop(self) {
        let admin = Database::connect(self.admin_url.as_str()).await.unwrap();
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
        admin.close().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_apply_the_migrations_once() {
    if !on_postgres() {
        eprintln!("PostgreSQL only (set LEVIER_TEST_DATABASE_URL)");
        return;
    }
    let database = FreshDatabase::create().await;
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let mut config = Config::development(database.url.clone());
            config.database_max_connections = 3;
            tokio::spawn(levier::build_app(config))
        })
        .collect();
    let mut errors = Vec::new();
    let mut apps = Vec::new();
    for start in starts {
        match start.await.unwrap() {
            Ok(app) => apps.push(app),
            Err(error) => errors.push(error.to_string()),
        }
    }
    let applied: Vec<String> = match apps.first() {
        Some(app) => app
            .database()
            .query_all_raw(Statement::from_string(
                app.database().get_database_backend(),
                "SELECT version FROM seaql_migrations ORDER BY version",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", "version").unwrap())
            .collect(),
        None => Vec::new(),
    };
    let ready = apps
        .iter()
        .filter(|app| app.database_state().is_ready())
        .count();
    drop(apps);
    database.drop().await;

    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(ready, 3);
    let mut expected: Vec<String> = migration::Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    expected.sort();
    assert_eq!(applied, expected);
}

#[tokio::test]
async fn no_migrate_on_a_database_behind_is_unready_until_levier_migrate() {
    let url = fresh_database_url().await;
    let app = TestApp::spawn_on_with(url.clone(), |config| {
        config.database_start.migrate = false;
    })
    .await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "migrations pending", "{body}");
    let pending = migration::Migrator::migrations().len();
    assert!(
        body["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with(&format!(
                "{pending} migration(s) pending: run `levier migrate`"
            )),
        "{body}"
    );
    assert_graphql_unavailable(&app, "seaql").await;

    // What `levier migrate` does, on the same database.
    db::prepare(
        &url,
        app.app.database(),
        SchemaAction::Migrate,
        &DatabaseState::default(),
    )
    .await
    .unwrap();
    until_ready(&app).await;
    let token = app.token("acme", "editor");
    create_plan(&app, &token, "Plan 2027").await;
}

#[tokio::test]
async fn no_migrate_with_exit_on_db_failure_names_the_pending_migrations() {
    let mut config = Config::development(fresh_database_url().await);
    config.database_start.migrate = false;
    config.database_start.exit_on_failure = true;
    let error = levier::build_app(config)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let first = migration::Migrator::migrations()
        .first()
        .map(|migration| migration.name().to_owned())
        .unwrap();
    assert!(
        error.starts_with(&format!(
            "the database schema is not up to date: {} migration(s) pending ({first}, ",
            migration::Migrator::migrations().len()
        )),
        "{error}"
    );
    assert!(
        error
            .ends_with("run `levier migrate` (the server does not migrate with LEVIER_NO_MIGRATE)"),
        "{error}"
    );
}
