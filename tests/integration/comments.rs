//! Comments (issue 15, item 2): threads on plans, campaigns, actions and objectives, written by
//! anyone who reads the plan (VIEWERs too), edited by their author only, deleted by their
//! author or an ADMIN, resolved and reopened; mentions kept as data; counts on the commented
//! objects through loaders; deleted with what they discuss; invisible to other tenants.

use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_campaign, create_objective, create_persona, create_plan,
    error_code, min_statements, mutate, mutate_ok, node, sql_integer, user_errors,
};

const COMMENT: &str = "id author authorRole body mentions createdAt updatedAt editedAt isReply \
                       resolved resolvedBy resolvedAt version targetId thread { id } \
                       inReplyTo { id } target { __typename id }";

/// A plan of `tenant` with a campaign, an action and an objective, made by its admin.
struct World {
    admin: String,
    plan: String,
    campaign: String,
    action: String,
    objective: String,
}

async fn world(app: &TestApp, tenant: &str) -> World {
    let admin = app.token(tenant, "admin");
    let persona = create_persona(app, &admin, &format!("{tenant} persona")).await;
    let plan = create_plan(app, &admin, &format!("{tenant} plan")).await;
    let campaign = create_campaign(app, &admin, &plan, "Spring", &[&persona]).await;
    let action = create_action(app, &admin, &plan, json!({})).await;
    let objective = create_objective(app, &admin, &plan, "CPA under 20").await;
    World {
        admin,
        plan,
        campaign,
        action,
        objective,
    }
}

/// Adds a comment on `target` (or a reply to the comment `target`); returns the payload.
async fn add(app: &TestApp, token: &str, target: &str, body: &str, mentions: Value) -> Value {
    mutate_ok(
        app,
        token,
        "addComment",
        &format!("comment {{ {COMMENT} }} userErrors {{ field message code }}"),
        json!({ "targetId": target, "body": body, "mentions": mentions }),
    )
    .await
}

/// Adds a comment that must be accepted and returns it.
async fn comment(app: &TestApp, token: &str, target: &str, body: &str) -> Value {
    let payload = add(app, token, target, body, json!([])).await;
    assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
    payload["comment"].clone()
}

fn id_of(comment: &Value) -> String {
    comment["id"].as_str().expect("an id").to_owned()
}

/// `commentCount` and the threads (with `includeResolved`) of the object `id`.
async fn threads_of(app: &TestApp, token: &str, id: &str, include_resolved: bool) -> Value {
    let selection = format!(
        "... on Plan {{ commentCount comments(includeResolved: {include_resolved}) {{ totalCount nodes {{ id body resolved replies {{ totalCount nodes {{ id body resolved }} }} }} }} }} \
         ... on Campaign {{ commentCount comments(includeResolved: {include_resolved}) {{ totalCount nodes {{ id body resolved replies {{ totalCount nodes {{ id body resolved }} }} }} }} }} \
         ... on Action {{ commentCount comments(includeResolved: {include_resolved}) {{ totalCount nodes {{ id body resolved replies {{ totalCount nodes {{ id body resolved }} }} }} }} }} \
         ... on Objective {{ commentCount comments(includeResolved: {include_resolved}) {{ totalCount nodes {{ id body resolved replies {{ totalCount nodes {{ id body resolved }} }} }} }} }}"
    );
    node(app, token, id, &selection).await
}

async fn comments_in_database(app: &TestApp) -> i64 {
    sql_integer(app, "SELECT COUNT(*) FROM comments").await
}

#[tokio::test]
async fn a_viewer_starts_threads_on_each_kind_of_object_and_replies_with_mentions() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");

    for (target, type_name) in [
        (&acme.plan, "Plan"),
        (&acme.campaign, "Campaign"),
        (&acme.action, "Action"),
        (&acme.objective, "Objective"),
    ] {
        let payload = add(
            &app,
            &viewer,
            target,
            "  @acme-editor-user is this right? cc @carol@example.com, not bob@example.com  ",
            json!(["dave", "acme-editor-user"]),
        )
        .await;
        assert_eq!(user_errors(&payload), Vec::<String>::new(), "{payload}");
        let first = &payload["comment"];
        assert_eq!(first["author"], "acme-viewer-user");
        assert_eq!(first["authorRole"], "VIEWER");
        assert_eq!(
            first["body"],
            "@acme-editor-user is this right? cc @carol@example.com, not bob@example.com",
            "the body is kept trimmed"
        );
        assert_eq!(
            first["mentions"],
            json!(["acme-editor-user", "carol@example.com", "dave"]),
            "written mentions first, then the listed ones, without repeats"
        );
        assert_eq!(first["isReply"], false);
        assert_eq!(first["resolved"], false);
        assert_eq!(first["editedAt"], Value::Null);
        assert_eq!(first["version"], 1);
        assert_eq!(first["targetId"], target.as_str());
        assert_eq!(first["target"]["__typename"], type_name);
        assert_eq!(first["target"]["id"], target.as_str());
        assert_eq!(first["thread"], Value::Null);

        // A reply, then a reply to the reply: both join the first comment's thread.
        let reply = comment(&app, &editor, &id_of(first), "Yes, @acme-viewer-user.").await;
        assert_eq!(reply["isReply"], true);
        assert_eq!(reply["authorRole"], "EDITOR");
        assert_eq!(reply["mentions"], json!(["acme-viewer-user"]));
        assert_eq!(reply["thread"]["id"], first["id"]);
        assert_eq!(reply["inReplyTo"]["id"], first["id"]);
        assert_eq!(reply["targetId"], target.as_str());
        let nested = comment(&app, &viewer, &id_of(&reply), "Thanks").await;
        assert_eq!(nested["thread"]["id"], first["id"], "threads are flat");
        assert_eq!(nested["inReplyTo"]["id"], reply["id"]);

        let read = threads_of(&app, &viewer, target, false).await;
        assert_eq!(read["commentCount"], 1, "{type_name}: one open thread");
        assert_eq!(read["comments"]["totalCount"], 1);
        let thread = &read["comments"]["nodes"][0];
        assert_eq!(thread["id"], first["id"], "replies are not threads");
        assert_eq!(thread["replies"]["totalCount"], 2);
        assert_eq!(
            thread["replies"]["nodes"]
                .as_array()
                .map(|replies| replies.iter().map(|r| r["id"].clone()).collect::<Vec<_>>()),
            Some(vec![reply["id"].clone(), nested["id"].clone()]),
            "replies oldest first"
        );

        // The comment is a node, as are its replies.
        let as_node = node(
            &app,
            &viewer,
            &id_of(&nested),
            "__typename ... on Comment { body thread { body } }",
        )
        .await;
        assert_eq!(as_node["__typename"], "Comment");
        assert_eq!(as_node["thread"]["body"], first["body"]);
    }
    assert_eq!(comments_in_database(&app).await, 12);
}

#[tokio::test]
async fn only_the_author_edits_a_comment_and_a_stale_version_conflicts() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let first = comment(&app, &viewer, &acme.campaign, "Budget too low? @alice").await;
    let id = id_of(&first);

    // Not the author, whatever the role: FORBIDDEN, and nothing changes.
    for token in [app.token("acme", "editor"), acme.admin.clone()] {
        let body = mutate(
            &app,
            &token,
            "editComment",
            "comment { id } userErrors { field code }",
            json!({ "id": id, "expectedVersion": 1, "body": "rewritten by someone else" }),
        )
        .await;
        assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    }

    let edited = mutate_ok(
        &app,
        &viewer,
        "editComment",
        &format!("comment {{ {COMMENT} }} userErrors {{ field code }}"),
        json!({ "id": id, "expectedVersion": 1, "body": "Budget too low? @bob", "mentions": ["carol"] }),
    )
    .await;
    assert_eq!(user_errors(&edited), Vec::<String>::new(), "{edited}");
    let edited = &edited["comment"];
    assert_eq!(edited["body"], "Budget too low? @bob");
    assert_eq!(
        edited["mentions"],
        json!(["bob", "carol"]),
        "mentions follow the edit"
    );
    assert_eq!(edited["version"], 2);
    assert!(edited["editedAt"].is_string(), "{edited}");
    assert_eq!(edited["createdAt"], first["createdAt"]);

    // A stale version: CONFLICT; an invalid text: userErrors. Neither writes.
    let stale = mutate(
        &app,
        &viewer,
        "editComment",
        "comment { id } userErrors { field code }",
        json!({ "id": id, "expectedVersion": 1, "body": "late" }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let empty = mutate_ok(
        &app,
        &viewer,
        "editComment",
        "comment { id } userErrors { field code }",
        json!({ "id": id, "expectedVersion": 2, "body": "   " }),
    )
    .await;
    assert_eq!(user_errors(&empty), vec!["input.body: REQUIRED"]);
    assert_eq!(empty["comment"], Value::Null);
    let read = node(&app, &viewer, &id, "... on Comment { body version }").await;
    assert_eq!(
        read,
        json!({ "body": "Budget too low? @bob", "version": 2 })
    );
}

#[tokio::test]
async fn resolving_a_thread_takes_it_out_of_the_open_list_and_count_until_reopened() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let first = comment(&app, &viewer, &acme.objective, "Is 20 realistic?").await;
    let other = comment(&app, &editor, &acme.objective, "Add a baseline source").await;
    let reply = comment(&app, &editor, &id_of(&first), "Yes, see Q1").await;
    assert_eq!(
        threads_of(&app, &viewer, &acme.objective, false).await["commentCount"],
        2
    );

    // A reply is not a thread: INVALID. A thread is resolved by anyone who may comment.
    let refused = mutate_ok(
        &app,
        &viewer,
        "resolveCommentThread",
        "comment { id } userErrors { field code }",
        json!({ "id": id_of(&reply), "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(user_errors(&refused), vec!["input.id: INVALID"]);
    let stale = mutate(
        &app,
        &editor,
        "resolveCommentThread",
        "comment { id } userErrors { field code }",
        json!({ "id": id_of(&first), "expectedVersion": 7 }),
    )
    .await;
    assert_eq!(error_code(&stale), Some("CONFLICT"), "{stale}");
    let resolved = mutate_ok(
        &app,
        &editor,
        "resolveCommentThread",
        &format!("comment {{ {COMMENT} }} userErrors {{ field code }}"),
        json!({ "id": id_of(&first), "expectedVersion": 1 }),
    )
    .await;
    assert_eq!(user_errors(&resolved), Vec::<String>::new());
    assert_eq!(resolved["comment"]["resolved"], true);
    assert_eq!(resolved["comment"]["resolvedBy"], "acme-editor-user");
    assert!(resolved["comment"]["resolvedAt"].is_string());
    assert_eq!(resolved["comment"]["version"], 2);
    assert_eq!(
        resolved["comment"]["editedAt"],
        Value::Null,
        "resolving is no edit"
    );
    let again = mutate_ok(
        &app,
        &editor,
        "resolveCommentThread",
        "comment { id } userErrors { field code }",
        json!({ "id": id_of(&first), "expectedVersion": 2 }),
    )
    .await;
    assert_eq!(user_errors(&again), vec!["input.id: INVALID_TRANSITION"]);

    let open = threads_of(&app, &viewer, &acme.objective, false).await;
    assert_eq!(open["commentCount"], 1);
    assert_eq!(open["comments"]["totalCount"], 1);
    assert_eq!(open["comments"]["nodes"][0]["id"], other["id"]);
    let all = threads_of(&app, &viewer, &acme.objective, true).await;
    assert_eq!(all["commentCount"], 1, "the count is of open threads");
    assert_eq!(all["comments"]["totalCount"], 2);
    assert_eq!(all["comments"]["nodes"][0]["resolved"], true);
    assert_eq!(
        all["comments"]["nodes"][0]["replies"]["nodes"][0]["resolved"], true,
        "a reply tells its thread's resolution"
    );

    let reopened = mutate_ok(
        &app,
        &viewer,
        "reopenCommentThread",
        "comment { resolved resolvedBy resolvedAt version } userErrors { field code }",
        json!({ "id": id_of(&first), "expectedVersion": 2 }),
    )
    .await;
    assert_eq!(
        reopened["comment"],
        json!({ "resolved": false, "resolvedBy": null, "resolvedAt": null, "version": 3 })
    );
    let open_again = mutate_ok(
        &app,
        &viewer,
        "reopenCommentThread",
        "comment { id } userErrors { field code }",
        json!({ "id": id_of(&first), "expectedVersion": 3 }),
    )
    .await;
    assert_eq!(
        user_errors(&open_again),
        vec!["input.id: INVALID_TRANSITION"]
    );
    assert_eq!(
        threads_of(&app, &viewer, &acme.objective, false).await["commentCount"],
        2
    );
}

#[tokio::test]
async fn a_comment_is_deleted_by_its_author_or_an_admin_and_a_thread_takes_its_replies() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");
    let first = comment(&app, &viewer, &acme.action, "Who owns this?").await;
    let reply = comment(&app, &editor, &id_of(&first), "Camille").await;
    let second = comment(&app, &editor, &acme.action, "Move it to April").await;

    // Someone else, below ADMIN: FORBIDDEN, nothing deleted.
    let refused = mutate(
        &app,
        &viewer,
        "deleteComment",
        "deletedId userErrors { field code }",
        json!({ "id": id_of(&reply) }),
    )
    .await;
    assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
    assert_eq!(comments_in_database(&app).await, 3);

    // The author deletes a reply; an ADMIN deletes anyone's.
    let deleted = mutate_ok(
        &app,
        &editor,
        "deleteComment",
        "deletedId userErrors { field code }",
        json!({ "id": id_of(&reply) }),
    )
    .await;
    assert_eq!(deleted["deletedId"], reply["id"]);
    let reply_again = comment(&app, &editor, &id_of(&first), "Camille, really").await;
    let deleted = mutate_ok(
        &app,
        &acme.admin,
        "deleteComment",
        "deletedId userErrors { field code }",
        json!({ "id": id_of(&first) }),
    )
    .await;
    assert_eq!(deleted["deletedId"], first["id"]);
    assert_eq!(
        node(&app, &viewer, &id_of(&reply_again), "id").await,
        Value::Null,
        "the thread's replies go with it"
    );
    assert_eq!(comments_in_database(&app).await, 1);
    let left = threads_of(&app, &viewer, &acme.action, true).await;
    assert_eq!(left["comments"]["nodes"][0]["id"], second["id"]);

    let gone = mutate(
        &app,
        &editor,
        "deleteComment",
        "deletedId",
        json!({ "id": id_of(&first) }),
    )
    .await;
    assert_eq!(error_code(&gone), Some("NOT_FOUND"));
}

#[tokio::test]
async fn deleting_a_commented_object_deletes_its_comments() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    // Another plan's comments stay.
    let other_plan = create_plan(&app, &acme.admin, "Other plan").await;
    comment(&app, &viewer, &other_plan, "Keep me").await;
    for target in [&acme.plan, &acme.campaign, &acme.action, &acme.objective] {
        let first = comment(&app, &viewer, target, "A thread").await;
        comment(&app, &viewer, &id_of(&first), "A reply").await;
    }
    assert_eq!(comments_in_database(&app).await, 9);

    for (mutation, id, left) in [
        ("deleteCampaign", &acme.campaign, 7),
        ("deleteAction", &acme.action, 5),
        ("deleteObjective", &acme.objective, 3),
        ("deletePlan", &acme.plan, 1),
    ] {
        let payload = mutate_ok(
            &app,
            &acme.admin,
            mutation,
            "deletedId userErrors { field code }",
            json!({ "id": id }),
        )
        .await;
        assert_eq!(payload["deletedId"], id.as_str(), "{mutation}: {payload}");
        assert_eq!(comments_in_database(&app).await, left, "after {mutation}");
    }

    // A plan takes the comments of its campaigns, actions and objectives with it.
    let plan = create_plan(&app, &acme.admin, "Plan with everything").await;
    let persona = create_persona(&app, &acme.admin, "Someone").await;
    let campaign = create_campaign(&app, &acme.admin, &plan, "Summer", &[&persona]).await;
    let action = create_action(&app, &acme.admin, &plan, json!({ "campaignId": campaign })).await;
    let objective = create_objective(&app, &acme.admin, &plan, "More leads").await;
    for target in [&plan, &campaign, &action, &objective] {
        comment(&app, &viewer, target, "Looks good").await;
    }
    assert_eq!(comments_in_database(&app).await, 5);
    let payload = mutate_ok(
        &app,
        &acme.admin,
        "deletePlan",
        "deletedId userErrors { field code }",
        json!({ "id": plan }),
    )
    .await;
    assert_eq!(payload["deletedId"], plan.as_str(), "{payload}");
    assert_eq!(comments_in_database(&app).await, 1);
    let kept = threads_of(&app, &viewer, &other_plan, false).await;
    assert_eq!(kept["commentCount"], 1);
}

#[tokio::test]
async fn an_invalid_comment_is_refused_field_by_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let too_many: Vec<String> = (0..51).map(|i| format!("user{i}")).collect();
    for (body, mentions, expected) in [
        ("", json!([]), vec!["input.body: REQUIRED"]),
        ("  \n ", json!([]), vec!["input.body: REQUIRED"]),
        (
            &*"x".repeat(10_001),
            json!([]),
            vec!["input.body: TOO_LONG"],
        ),
        ("nul \u{0} inside", json!([]), vec!["input.body: INVALID"]),
        (
            "fine",
            json!(["ok", " "]),
            vec!["input.mentions.1: REQUIRED"],
        ),
        (
            "fine",
            json!(["a".repeat(256)]),
            vec!["input.mentions.0: TOO_LONG"],
        ),
        ("fine", json!(too_many), vec!["input.mentions: TOO_LONG"]),
    ] {
        let payload = add(&app, &viewer, &acme.campaign, body, mentions).await;
        assert_eq!(user_errors(&payload), expected);
        assert_eq!(payload["comment"], Value::Null);
    }
    assert_eq!(comments_in_database(&app).await, 0);
    // The longest body passes.
    comment(&app, &viewer, &acme.campaign, &"x".repeat(10_000)).await;

    // An ID that is not of a commentable object: NOT_FOUND.
    let persona = create_persona(&app, &acme.admin, "Not commentable").await;
    for target in [persona.as_str(), "not-an-id"] {
        let body = mutate(
            &app,
            &viewer,
            "addComment",
            "comment { id }",
            json!({ "targetId": target, "body": "hello" }),
        )
        .await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    assert_eq!(comments_in_database(&app).await, 1);
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_comments_nor_comment_on_foreign_objects() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let first = comment(&app, &viewer, &acme.campaign, "Acme only").await;
    let reply = comment(&app, &viewer, &id_of(&first), "Acme reply").await;
    let globex_world = world(&app, "globex").await;
    let globex = globex_world.admin.clone();

    // Read: node and nodes give null, without errors.
    for id in [id_of(&first), id_of(&reply)] {
        assert_eq!(node(&app, &globex, &id, "id").await, Value::Null);
    }
    let nodes = app
        .data(
            &globex,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [id_of(&first), id_of(&reply)] }),
        )
        .await;
    assert_eq!(nodes["nodes"], json!([null, null]));

    // List: globex's own objects show none of acme's comments, nor do its plan lists.
    let own = threads_of(&app, &globex, &globex_world.campaign, true).await;
    assert_eq!(own["commentCount"], 0);
    assert_eq!(own["comments"]["totalCount"], 0);
    let listed = app
        .data(
            &globex,
            "{ plans { nodes { commentCount comments(includeResolved: true) { totalCount } campaigns { nodes { commentCount } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["plans"]["nodes"],
        json!([{ "commentCount": 0, "comments": { "totalCount": 0 }, "campaigns": { "nodes": [{ "commentCount": 0 }] } }])
    );

    // Link by ID: a comment on acme's objects, or a reply to acme's comment, is NOT_FOUND.
    for target in [
        &acme.plan,
        &acme.campaign,
        &acme.action,
        &acme.objective,
        &id_of(&first),
        &id_of(&reply),
    ] {
        let body = mutate(
            &app,
            &globex,
            "addComment",
            "comment { id }",
            json!({ "targetId": target, "body": "sneaky" }),
        )
        .await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{target}: {body}");
    }

    // Edit, resolve, reopen, delete: NOT_FOUND, never FORBIDDEN.
    for (mutation, input) in [
        (
            "editComment",
            json!({ "id": id_of(&first), "expectedVersion": 1, "body": "changed" }),
        ),
        (
            "resolveCommentThread",
            json!({ "id": id_of(&first), "expectedVersion": 1 }),
        ),
        (
            "reopenCommentThread",
            json!({ "id": id_of(&first), "expectedVersion": 1 }),
        ),
        ("deleteComment", json!({ "id": id_of(&reply) })),
        ("deleteComment", json!({ "id": id_of(&first) })),
    ] {
        let selection = if mutation == "deleteComment" {
            "deletedId"
        } else {
            "comment { id }"
        };
        let body = mutate(&app, &globex, mutation, selection, input).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{mutation}: {body}");
    }

    // Acme's thread is as it was.
    let read = threads_of(&app, &viewer, &acme.campaign, false).await;
    assert_eq!(read["commentCount"], 1);
    let thread = &read["comments"]["nodes"][0];
    assert_eq!(thread["body"], "Acme only");
    assert_eq!(thread["resolved"], false);
    assert_eq!(thread["replies"]["totalCount"], 1);
    assert_eq!(comments_in_database(&app).await, 2);
}

#[tokio::test]
async fn an_api_key_may_read_comments_but_not_write_them() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    comment(&app, &app.token("acme", "viewer"), &acme.plan, "Hello").await;
    let key = mutate_ok(
        &app,
        &acme.admin,
        "createApiKey",
        "secret userErrors { field code }",
        json!({ "name": "BI", "scopes": ["READ_PLANS"] }),
    )
    .await;
    let secret = key["secret"].as_str().expect("a secret").to_owned();
    let read = threads_of(&app, &secret, &acme.plan, false).await;
    assert_eq!(read["comments"]["nodes"][0]["body"], "Hello");
    let body = mutate(
        &app,
        &secret,
        "addComment",
        "comment { id }",
        json!({ "targetId": acme.plan, "body": "from a key" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}

const COUNTS_QUERY: &str = "{ plans(first: 5) { nodes { commentCount \
    comments(first: 5) { totalCount nodes { body author resolved replies(first: 5) { totalCount nodes { body resolved } } } } \
    objectives { commentCount } \
    campaigns(first: 50) { nodes { name commentCount comments(first: 3) { totalCount nodes { body } } \
    actions(first: 10) { nodes { commentCount } } } } } } }";

/// Creates a plan with `campaigns` campaigns, each with an action and two threads (one with
/// a reply, one resolved); the plan and its objective get a thread each.
async fn commented_plan(app: &TestApp, admin: &str, viewer: &str, campaigns: usize) {
    let plan = create_plan(app, admin, "Busy plan").await;
    let persona = create_persona(app, admin, "Reader").await;
    let objective = create_objective(app, admin, &plan, "Leads").await;
    comment(app, viewer, &plan, "On the plan").await;
    comment(app, viewer, &objective, "On the objective").await;
    for index in 0..campaigns {
        let campaign = create_campaign(app, admin, &plan, &format!("C{index}"), &[&persona]).await;
        create_action(app, admin, &plan, json!({ "campaignId": campaign })).await;
        let first = comment(app, viewer, &campaign, "Open").await;
        comment(app, viewer, &id_of(&first), "Reply").await;
        let second = comment(app, viewer, &campaign, "Done").await;
        let resolved = mutate_ok(
            app,
            viewer,
            "resolveCommentThread",
            "userErrors { code }",
            json!({ "id": id_of(&second), "expectedVersion": 1 }),
        )
        .await;
        assert_eq!(user_errors(&resolved), Vec::<String>::new());
    }
}

#[tokio::test]
async fn comment_counts_and_threads_cost_the_same_statements_for_2_or_12_campaigns() {
    let app = TestApp::spawn().await;
    let small = app.token("small", "admin");
    let small_viewer = app.token("small", "viewer");
    commented_plan(&app, &small, &small_viewer, 2).await;
    let large = app.token("large", "admin");
    let large_viewer = app.token("large", "viewer");
    commented_plan(&app, &large, &large_viewer, 12).await;

    let (few, small_data) = min_statements(&app, &small, COUNTS_QUERY, json!({})).await;
    let (many, large_data) = min_statements(&app, &large, COUNTS_QUERY, json!({})).await;
    let campaigns = large_data["plans"]["nodes"][0]["campaigns"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(campaigns.len(), 12);
    for campaign in &campaigns {
        assert_eq!(campaign["commentCount"], 1, "one open thread each");
        assert_eq!(campaign["comments"]["totalCount"], 1);
    }
    assert_eq!(
        small_data["plans"]["nodes"][0]["comments"]["nodes"][0]["body"],
        "On the plan"
    );
    assert_eq!(
        large_data["plans"]["nodes"][0]["objectives"][0]["commentCount"],
        1
    );
    assert_eq!(
        few, many,
        "the statements depend on the query, not on the campaigns ({few} for 2, {many} for 12)"
    );
    // 15 when measured: plans and their count, then per level a batch for each list, each
    // count and each kind of commented object.
    assert!(many <= 18, "{many} statements");
    println!("comment counts: {few} statements for 2 campaigns, {many} for 12");
}

/// The operations of the README's "Comments" section, as written there.
fn readme_operations() -> String {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## Comments\n")
        .nth(1)
        .expect("README has a \"Comments\" section");
    let block = section
        .split("```graphql\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a graphql block");
    block.to_owned()
}

async fn run_readme(app: &TestApp, token: &str, operation: &str, variables: Value) -> Value {
    let body = app
        .post(
            Some(token),
            &[],
            &json!({ "query": readme_operations(), "operationName": operation, "variables": variables }),
        )
        .await
        .1;
    assert!(body.get("errors").is_none(), "{operation}: {body}");
    body["data"].clone()
}

#[tokio::test]
async fn the_readme_examples_run_as_written() {
    let app = TestApp::spawn().await;
    let acme = world(&app, "acme").await;
    let viewer = app.token("acme", "viewer");
    let editor = app.token("acme", "editor");

    let started = run_readme(
        &app,
        &viewer,
        "StartThread",
        json!({ "campaign": acme.campaign }),
    )
    .await;
    let first = &started["addComment"]["comment"];
    assert_eq!(
        first["mentions"],
        json!(["bob.martin", "carol"]),
        "{started}"
    );
    assert_eq!(first["authorRole"], "VIEWER");
    let first_id = first["id"].as_str().unwrap().to_owned();

    let replied = run_readme(&app, &editor, "Reply", json!({ "comment": first_id })).await;
    assert_eq!(
        replied["addComment"]["comment"]["thread"]["id"],
        first_id.as_str()
    );

    let edited = run_readme(&app, &viewer, "EditMine", json!({ "comment": first_id })).await;
    assert_eq!(edited["editComment"]["comment"]["version"], 2, "{edited}");

    let resolved = run_readme(&app, &editor, "Resolve", json!({ "comment": first_id })).await;
    assert_eq!(
        resolved["resolveCommentThread"]["comment"]["resolved"], true,
        "{resolved}"
    );

    let read = run_readme(&app, &viewer, "Discussion", json!({ "plan": acme.plan })).await;
    let campaign = &read["plan"]["campaigns"]["nodes"][0];
    assert_eq!(campaign["commentCount"], 0, "{read}");
    assert_eq!(campaign["comments"]["totalCount"], 1);
    assert_eq!(campaign["comments"]["nodes"][0]["resolved"], true);
    assert_eq!(
        campaign["comments"]["nodes"][0]["replies"]["nodes"][0]["author"],
        "acme-editor-user"
    );
}
