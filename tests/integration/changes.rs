//! The change feed (`changes`): a BI tool following it sees exactly the writes and deletes since
//! its cursor, in commit order, resumes where it stopped, filters by object type, and on
//! PostgreSQL never skips the change of a transaction that started first and committed last.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_persona, create_plan, error_code, min_statements, mutate_ok, on_postgres,
    user_errors,
};

const FEED: &str = "query($after: String, $types: [ChangeObjectType!], $first: Int) {
  changes(after: $after, types: $types, first: $first) {
    changes { id cursor objectType objectId action auditAction occurredAt
      object { id ... on Plan { name } ... on Persona { name } } }
    endCursor hasMore
  }
}";

/// On PostgreSQL, waits (at most ten seconds) until every transaction that wrote an audit event
/// has ended, in this database cluster: the feed holds back behind any transaction still
/// running, other tests' included.
pub async fn settle(app: &TestApp) {
    if !on_postgres() {
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::time::Instant::now() < deadline
        && crate::support::sql_integer(
            app,
            "SELECT CASE WHEN COALESCE((SELECT MAX(txid) FROM audit_events), 0) \
             < pg_snapshot_xmin(pg_current_snapshot())::text::bigint THEN 1::bigint ELSE 0::bigint END",
        )
        .await
            == 0
    {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn feed(
    app: &TestApp,
    token: &str,
    after: Option<&str>,
    types: Option<Value>,
    first: Option<i64>,
) -> Value {
    settle(app).await;
    feed_now(app, token, after, types, first).await
}

/// The feed as it is at once.
async fn feed_now(
    app: &TestApp,
    token: &str,
    after: Option<&str>,
    types: Option<Value>,
    first: Option<i64>,
) -> Value {
    app.data(
        token,
        FEED,
        json!({ "after": after, "types": types, "first": first }),
    )
    .await["changes"]
        .clone()
}

/// `(objectType, objectId, action)` of each change.
fn summary(page: &Value) -> Vec<(String, String, String)> {
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| {
            (
                change["objectType"].as_str().unwrap().to_owned(),
                change["objectId"].as_str().unwrap().to_owned(),
                change["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn change(kind: &str, id: &str, action: &str) -> (String, String, String) {
    (kind.to_owned(), id.to_owned(), action.to_owned())
}

#[tokio::test]
async fn a_poller_sees_exactly_the_writes_and_deletes_since_its_cursor() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let empty = feed(&app, &editor, None, None, None).await;
    assert_eq!(empty["changes"], json!([]));
    assert_eq!(empty["hasMore"], false);
    let start = empty["endCursor"].as_str().unwrap().to_owned();

    let plan = create_plan(&app, &editor, "Spring").await;
    let runner = create_persona(&app, &editor, "Runner").await;
    let walker = create_persona(&app, &editor, "Walker").await;
    let first = feed(&app, &editor, Some(&start), None, None).await;
    assert_eq!(
        summary(&first),
        [
            change("PLAN", &plan, "UPSERTED"),
            change("PERSONA", &runner, "UPSERTED"),
            change("PERSONA", &walker, "UPSERTED")
        ]
    );
    assert_eq!(
        first["changes"][0]["object"],
        json!({ "id": plan, "name": "Spring" })
    );
    assert_eq!(first["changes"][0]["auditAction"], "CREATED");
    assert_eq!(first["hasMore"], false);
    let cursor = first["endCursor"].as_str().unwrap().to_owned();
    assert_eq!(cursor, first["changes"][2]["cursor"].as_str().unwrap());

    let renamed = mutate_ok(
        &app,
        &editor,
        "updatePlan",
        "plan { id } userErrors { field code }",
        json!({ "id": plan, "expectedVersion": 1, "name": "Spring 2027" }),
    )
    .await;
    assert_eq!(user_errors(&renamed), Vec::<String>::new());
    mutate_ok(
        &app,
        &app.token("acme", "admin"),
        "deletePersona",
        "deletedId",
        json!({ "id": runner }),
    )
    .await;

    let second = feed(&app, &editor, Some(&cursor), None, None).await;
    assert_eq!(
        summary(&second),
        [
            change("PLAN", &plan, "UPSERTED"),
            change("PERSONA", &runner, "DELETED")
        ]
    );
    assert_eq!(second["changes"][0]["object"]["name"], "Spring 2027");
    assert!(
        second["changes"][1]["object"].is_null(),
        "a tombstone has no object"
    );
    let end = second["endCursor"].as_str().unwrap().to_owned();
    let idle = feed(&app, &editor, Some(&end), None, None).await;
    assert_eq!(idle["changes"], json!([]));
    assert_eq!(
        idle["endCursor"],
        end.as_str(),
        "an empty page keeps the cursor"
    );

    // Pages of one resume exactly where the previous one ended.
    let mut after = start.clone();
    let mut seen = Vec::new();
    loop {
        let page = feed(&app, &editor, Some(&after), None, Some(1)).await;
        seen.extend(summary(&page));
        after = page["endCursor"].as_str().unwrap().to_owned();
        if page["hasMore"] == false {
            break;
        }
    }
    let mut all = summary(&first);
    all.extend(summary(&second));
    assert_eq!(seen, all);

    // Filtered by type: the persona changes only, in order.
    let personas = feed(&app, &editor, None, Some(json!(["PERSONA"])), None).await;
    assert_eq!(
        summary(&personas),
        [
            change("PERSONA", &runner, "UPSERTED"),
            change("PERSONA", &walker, "UPSERTED"),
            change("PERSONA", &runner, "DELETED")
        ]
    );
}

#[tokio::test]
async fn a_bad_cursor_is_bad_user_input_and_readers_only_see_their_tenant() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Acme only").await;
    for cursor in ["nonsense", "ZmVlZDp4Onk", "UGxhbjox"] {
        let body = app.gql(&editor, FEED, json!({ "after": cursor })).await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{cursor}: {body}"
        );
    }
    let viewer = app.token("acme", "viewer");
    assert_eq!(
        summary(&feed(&app, &viewer, None, None, None).await),
        [change("PLAN", &plan, "UPSERTED")]
    );
    let other = app.token("globex", "admin");
    assert_eq!(
        feed(&app, &other, None, None, None).await["changes"],
        json!([])
    );

    // API keys read the feed with READ_PLANS, not without it.
    let admin = app.token("acme", "admin");
    let key = |scopes: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let created = mutate_ok(
                app,
                &admin,
                "createApiKey",
                "secret",
                json!({ "name": "bi", "scopes": scopes }),
            )
            .await;
            created["secret"].as_str().unwrap().to_owned()
        }
    };
    let reader = key(json!(["READ_PLANS"])).await;
    assert_eq!(
        summary(&feed(&app, &reader, None, None, None).await),
        [change("PLAN", &plan, "UPSERTED")]
    );
    let kpis_only = key(json!(["READ_KPIS"])).await;
    let refused = app.gql(&kpis_only, FEED, json!({})).await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
}

#[tokio::test]
async fn objects_load_without_one_statement_per_change() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    create_plan(&app, &editor, "One").await;
    create_persona(&app, &editor, "One").await;
    settle(&app).await;
    let (few, page) = min_statements(&app, &editor, FEED, json!({})).await;
    assert_eq!(page["changes"]["changes"].as_array().unwrap().len(), 2);
    for index in 0..8 {
        create_plan(&app, &editor, &format!("Plan {index}")).await;
        create_persona(&app, &editor, &format!("Persona {index}")).await;
    }
    settle(&app).await;
    let (many, page) = min_statements(&app, &editor, FEED, json!({})).await;
    assert_eq!(page["changes"]["changes"].as_array().unwrap().len(), 18);
    assert_eq!(few, many, "the statements do not grow with the changes");
}

#[tokio::test]
async fn a_transaction_that_started_first_and_committed_last_is_not_skipped() {
    if !on_postgres() {
        return; // SQLite serialises its writers: seq order is commit order there.
    }
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Before").await;
    let start = feed(&app, &editor, None, None, None).await["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    // A long transaction writes an audit event first (as a slow write would) and stays open.
    let slow = app.app.database().begin().await.unwrap();
    let slow_object = uuid::Uuid::now_v7();
    slow.execute_raw(Statement::from_string(
        sea_orm::DbBackend::Postgres,
        format!(
            "INSERT INTO audit_events (id, tenant_id, occurred_at, action, object_type, object_id, \
             actor_subject, actor_kind, actor_agency, changed_fields) \
             SELECT '{}', tenant_id, now(), 'UPDATED', 'Plan', '{slow_object}', 'slow', 'SYSTEM', false, '[]' \
             FROM audit_events WHERE actor_subject = 'acme-editor-user' LIMIT 1",
            uuid::Uuid::now_v7()
        ),
    ))
    .await
    .unwrap();
    // A later transaction commits first.
    let fast = create_persona(&app, &editor, "Fast").await;
    let held = feed_now(&app, &editor, Some(&start), None, None).await;
    assert_eq!(
        held["changes"],
        json!([]),
        "held back while an earlier transaction runs: {held}"
    );
    slow.commit().await.unwrap();
    let page = feed(&app, &editor, Some(&start), None, None).await;
    let ids: Vec<&str> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["objectId"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{page}");
    assert_eq!(ids[1], fast.as_str());
    assert_ne!(ids[0], plan.as_str());
}

/// The first `graphql` block of the README's "Change feed" section.
fn readme_query() -> String {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n### Change feed\n")
        .nth(1)
        .expect("a Change feed section");
    let start = section.find("```graphql\n").expect("a graphql block") + "```graphql\n".len();
    let end = start + section[start..].find("\n```").unwrap();
    section[start..end].to_owned()
}

#[tokio::test]
async fn the_readme_polling_example_runs() {
    let app = TestApp::spawn().await;
    let editor = app.token("acme", "editor");
    let plan = create_plan(&app, &editor, "Polled").await;
    let query = readme_query();
    settle(&app).await;
    let first = app.data(&editor, &query, json!({ "after": null })).await;
    assert_eq!(first["changes"]["changes"][0]["objectId"], plan.as_str());
    let cursor = first["changes"]["endCursor"].as_str().unwrap();
    let next = app.data(&editor, &query, json!({ "after": cursor })).await;
    assert_eq!(next["changes"]["changes"], json!([]));
}
