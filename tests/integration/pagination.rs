//! Relay connections on `plans`, `personas` and `Plan.campaigns`: the default and maximum page
//! sizes, walking forward and backward with cursors (every item once, in creation order),
//! `pageInfo` and `totalCount`, refused arguments, and the plan filters.

use serde_json::{Value, json};

use crate::support::{TestApp, create_persona, create_plan, error_code, mutate_ok};

const PAGE: &str = "totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } \
                    edges { cursor node { id name } }";

/// One page of a connection, as read from a response.
struct Page {
    total: i64,
    has_next: bool,
    has_previous: bool,
    start: Option<String>,
    end: Option<String>,
    cursors: Vec<String>,
    names: Vec<String>,
}

impl Page {
    fn from(connection: &Value) -> Self {
        let edges = connection["edges"].as_array().expect("edges");
        let page = Self {
            total: connection["totalCount"].as_i64().expect("totalCount"),
            has_next: connection["pageInfo"]["hasNextPage"].as_bool().unwrap(),
            has_previous: connection["pageInfo"]["hasPreviousPage"].as_bool().unwrap(),
            start: connection["pageInfo"]["startCursor"]
                .as_str()
                .map(str::to_owned),
            end: connection["pageInfo"]["endCursor"]
                .as_str()
                .map(str::to_owned),
            cursors: edges
                .iter()
                .map(|e| e["cursor"].as_str().unwrap().to_owned())
                .collect(),
            names: edges
                .iter()
                .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
                .collect(),
        };
        // The cursors of pageInfo are those of the first and last edges.
        assert_eq!(page.start.as_ref(), page.cursors.first(), "startCursor");
        assert_eq!(page.end.as_ref(), page.cursors.last(), "endCursor");
        page
    }
}

/// Pagination arguments as GraphQL variables.
fn args(first: Option<i64>, after: Option<&str>, last: Option<i64>, before: Option<&str>) -> Value {
    json!({ "first": first, "after": after, "last": last, "before": before })
}

async fn personas_page(app: &TestApp, token: &str, variables: Value) -> Page {
    let query = format!(
        "query($first: Int, $after: String, $last: Int, $before: String) {{
            personas(first: $first, after: $after, last: $last, before: $before) {{ {PAGE} }} }}"
    );
    Page::from(&app.data(token, &query, variables).await["personas"])
}

async fn plans_page(app: &TestApp, token: &str, variables: Value) -> Page {
    let query = format!(
        "query($first: Int, $after: String, $last: Int, $before: String, $filter: PlanFilter) {{
            plans(first: $first, after: $after, last: $last, before: $before, filter: $filter) {{ {PAGE} }} }}"
    );
    Page::from(&app.data(token, &query, variables).await["plans"])
}

async fn campaigns_page(app: &TestApp, token: &str, plan: &str, mut variables: Value) -> Page {
    variables["plan"] = json!(plan);
    let query = format!(
        "query($plan: ID!, $first: Int, $after: String, $last: Int, $before: String) {{
            plan(id: $plan) {{ campaigns(first: $first, after: $after, last: $last, before: $before) {{ {PAGE} }} }} }}"
    );
    Page::from(&app.data(token, &query, variables).await["plan"]["campaigns"])
}

/// Creates `count` personas named `Persona 000`, `Persona 001`… in this order.
async fn create_personas(app: &TestApp, token: &str, count: usize) -> Vec<String> {
    let names: Vec<String> = (0..count).map(|i| format!("Persona {i:03}")).collect();
    // Several creations per request keep this fast; mutations run in document order.
    for chunk in names.chunks(25) {
        let fields: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, name)| {
                format!("p{i}: createPersona(input: {{ name: \"{name}\" }}) {{ persona {{ id }} }}")
            })
            .collect();
        let query = format!("mutation {{ {} }}", fields.join(" "));
        app.data(token, &query, json!({})).await;
    }
    names
}

/// Creates `count` campaigns named `{prefix} 000`… in `plan`, in this order.
async fn create_campaigns(
    app: &TestApp,
    token: &str,
    plan: &str,
    prefix: &str,
    count: usize,
) -> Vec<String> {
    let names: Vec<String> = (0..count).map(|i| format!("{prefix} {i:03}")).collect();
    for chunk in names.chunks(25) {
        let fields: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, name)| {
                format!(
                    "c{i}: createCampaign(input: {{ planId: \"{plan}\", name: \"{name}\", kind: TRAFFIC, \
                     startDate: \"2027-03-01\", endDate: \"2027-03-31\", budget: \"1\" }}) {{ campaign {{ id }} }}"
                )
            })
            .collect();
        let query = format!("mutation {{ {} }}", fields.join(" "));
        app.data(token, &query, json!({})).await;
    }
    names
}

#[tokio::test]
async fn the_default_page_is_20_and_an_empty_list_has_no_cursors() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let empty = plans_page(&app, &token, json!({})).await;
    assert_eq!((empty.total, empty.names.len()), (0, 0));
    assert!(!empty.has_next && !empty.has_previous);
    assert_eq!((empty.start, empty.end), (None, None));

    let mut names = Vec::new();
    for i in 0..23 {
        let name = format!("Plan {i:02}");
        create_plan(&app, &token, &name).await;
        names.push(name);
    }
    let page = plans_page(&app, &token, json!({})).await;
    assert_eq!(page.total, 23);
    assert_eq!(page.names, names[..20], "the first 20, oldest first");
    assert!(page.has_next);
    assert!(!page.has_previous);

    let rest = plans_page(&app, &token, args(None, page.end.as_deref(), None, None)).await;
    assert_eq!(rest.names, names[20..]);
    assert!(!rest.has_next);
    assert_eq!(
        rest.total, 23,
        "totalCount counts the whole list on every page"
    );
}

#[tokio::test]
async fn personas_walk_forward_and_backward_with_pages_capped_at_100() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let names = create_personas(&app, &token, 105).await;

    // `first: 1000` is capped at 100, and says there is more.
    let capped = personas_page(&app, &token, args(Some(1000), None, None, None)).await;
    assert_eq!(capped.names, names[..100]);
    assert!(capped.has_next);
    assert_eq!(capped.total, 105);
    let tail = personas_page(
        &app,
        &token,
        args(Some(1000), capped.end.as_deref(), None, None),
    )
    .await;
    assert_eq!(tail.names, names[100..]);
    assert!(!tail.has_next);
    // `last: 1000` likewise.
    let capped = personas_page(&app, &token, args(None, None, Some(1000), None)).await;
    assert_eq!(capped.names, names[5..]);
    assert!(capped.has_previous);
    assert!(!capped.has_next);

    // Forward by 7: every persona once, in creation order.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = personas_page(&app, &token, args(Some(7), after.as_deref(), None, None)).await;
        assert_eq!(page.total, 105);
        assert_eq!(page.has_previous, pages > 0, "page {pages}");
        pages += 1;
        seen.extend(page.names.clone());
        if !page.has_next {
            break;
        }
        assert_eq!(page.names.len(), 7);
        after = page.end;
        assert!(pages <= 15, "the walk does not end");
    }
    assert_eq!(pages, 15);
    assert_eq!(seen, names);

    // Backward by 8: every persona once; the pages come newest first, each in order.
    let mut seen: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = personas_page(&app, &token, args(None, None, Some(8), before.as_deref())).await;
        assert_eq!(page.total, 105);
        assert_eq!(page.has_next, pages > 0, "page {pages}");
        pages += 1;
        let mut names_of_page = page.names.clone();
        names_of_page.extend(seen);
        seen = names_of_page;
        if !page.has_previous {
            break;
        }
        assert_eq!(page.names.len(), 8);
        before = page.start;
        assert!(pages <= 14, "the walk does not end");
    }
    assert_eq!(pages, 14);
    assert_eq!(seen, names);
}

#[tokio::test]
async fn after_and_before_together_bound_a_window() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let names = create_personas(&app, &token, 30).await;
    let all = personas_page(&app, &token, args(Some(100), None, None, None)).await;
    assert_eq!(all.names, names);
    let (after, before) = (all.cursors[9].as_str(), all.cursors[20].as_str());

    let window = personas_page(
        &app,
        &token,
        args(Some(100), Some(after), None, Some(before)),
    )
    .await;
    assert_eq!(window.names, names[10..20]);
    assert_eq!(window.cursors, all.cursors[10..20]);
    let window = personas_page(&app, &token, args(Some(3), Some(after), None, Some(before))).await;
    assert_eq!(window.names, names[10..13]);
    assert!(window.has_next);
    let window = personas_page(&app, &token, args(None, Some(after), Some(3), Some(before))).await;
    assert_eq!(window.names, names[17..20]);
    assert!(window.has_previous);

    // `first: 0` is an empty page that still says more follows.
    let zero = personas_page(&app, &token, args(Some(0), None, None, None)).await;
    assert!(zero.names.is_empty());
    assert!(zero.has_next);
    assert_eq!(zero.total, 30);
}

#[tokio::test]
async fn a_plans_campaigns_page_like_any_list() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let big = create_plan(&app, &token, "Big").await;
    let small = create_plan(&app, &token, "Small").await;
    let big_names = create_campaigns(&app, &token, &big, "Big", 45).await;
    let small_names = create_campaigns(&app, &token, &small, "Small", 3).await;

    let page = campaigns_page(&app, &token, &big, json!({})).await;
    assert_eq!(page.total, 45);
    assert_eq!(
        page.names,
        big_names[..20],
        "default page of 20, oldest first"
    );
    assert!(page.has_next && !page.has_previous);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = campaigns_page(
            &app,
            &token,
            &big,
            args(Some(10), after.as_deref(), None, None),
        )
        .await;
        assert_eq!(page.total, 45);
        seen.extend(page.names.clone());
        if !page.has_next {
            break;
        }
        after = page.end;
        assert!(seen.len() <= 45, "the walk does not end");
    }
    assert_eq!(seen, big_names);

    let mut seen: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let page = campaigns_page(
            &app,
            &token,
            &big,
            args(None, None, Some(20), before.as_deref()),
        )
        .await;
        let mut names_of_page = page.names.clone();
        names_of_page.extend(seen);
        seen = names_of_page;
        if !page.has_previous {
            break;
        }
        before = page.start;
        assert!(seen.len() <= 45, "the walk does not end");
    }
    assert_eq!(seen, big_names);

    // Several plans in one request each get their own page and count.
    let query = "{ plans { nodes { name campaigns(first: 2) { totalCount pageInfo { hasNextPage } nodes { name } } } } }";
    let data = app.data(&token, query, json!({})).await;
    assert_eq!(
        data["plans"]["nodes"],
        json!([
            { "name": "Big", "campaigns": { "totalCount": 45, "pageInfo": { "hasNextPage": true },
              "nodes": [{ "name": big_names[0] }, { "name": big_names[1] }] } },
            { "name": "Small", "campaigns": { "totalCount": 3, "pageInfo": { "hasNextPage": true },
              "nodes": [{ "name": small_names[0] }, { "name": small_names[1] }] } },
        ])
    );
    let query = "{ plans { nodes { name campaigns(first: 1000) { totalCount pageInfo { hasNextPage } nodes { name } } } } }";
    let data = app.data(&token, query, json!({})).await;
    assert_eq!(
        data["plans"]["nodes"][0]["campaigns"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        45
    );
    assert_eq!(
        data["plans"]["nodes"][1]["campaigns"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        data["plans"]["nodes"][1]["campaigns"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test]
async fn a_plans_campaigns_are_capped_at_100_per_page() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Big").await;
    let names = create_campaigns(&app, &token, &plan, "Campaign", 101).await;
    let page = campaigns_page(&app, &token, &plan, args(Some(1000), None, None, None)).await;
    assert_eq!(page.names, names[..100]);
    assert!(page.has_next);
    assert_eq!(page.total, 101);
    let rest = campaigns_page(
        &app,
        &token,
        &plan,
        args(Some(1000), page.end.as_deref(), None, None),
    )
    .await;
    assert_eq!(rest.names, names[100..]);
}

#[tokio::test]
async fn bad_pagination_arguments_are_bad_user_input() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Plan").await;
    create_persona(&app, &token, "Sophie").await;
    let not_a_cursor = "bm90IGEgY3Vyc29y"; // base64 of "not a cursor"
    let bad_arguments = [
        "first: -1",
        "last: -5",
        "first: 1, last: 1",
        "after: \"garbage\"",
        "before: \"%%%\"",
        "after: \"\"",
        &format!("after: \"{not_a_cursor}\""),
        &format!("after: \"{plan}\""),
    ];
    for arguments in bad_arguments {
        for list in [
            format!("plans({arguments}) {{ totalCount }}"),
            format!("personas({arguments}) {{ totalCount }}"),
            format!("plan(id: \"{plan}\") {{ campaigns({arguments}) {{ totalCount }} }}"),
        ] {
            let body = app.gql(&token, &format!("{{ {list} }}"), json!({})).await;
            assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{list}: {body}");
        }
    }
}

#[tokio::test]
async fn plans_filter_by_status_name_and_date() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plans = [
        ("Alpha 2026", "2026-01-01", "2026-12-31", "ACTIVE"),
        ("alpha 2027", "2027-01-01", "2027-12-31", "DRAFT"),
        ("Beta 2027", "2027-01-01", "2027-06-30", "ACTIVE"),
        ("Gamma_% 2028", "2028-01-01", "2028-12-31", "ARCHIVED"),
        ("ALPHABET H2", "2027-07-01", "2027-12-31", "ACTIVE"),
    ];
    for (name, start, end, status) in plans {
        mutate_ok(
            &app,
            &token,
            "createPlan",
            "plan { id }",
            json!({ "name": name, "periodStart": start, "periodEnd": end, "budget": "1", "status": status }),
        )
        .await;
    }
    let cases = [
        (
            json!({}),
            vec![
                "Alpha 2026",
                "alpha 2027",
                "Beta 2027",
                "Gamma_% 2028",
                "ALPHABET H2",
            ],
        ),
        (
            json!({ "status": "ACTIVE" }),
            vec!["Alpha 2026", "Beta 2027", "ALPHABET H2"],
        ),
        (json!({ "status": "ARCHIVED" }), vec!["Gamma_% 2028"]),
        (
            json!({ "nameContains": "alpha" }),
            vec!["Alpha 2026", "alpha 2027", "ALPHABET H2"],
        ),
        (
            json!({ "nameContains": "ALPHA 20" }),
            vec!["Alpha 2026", "alpha 2027"],
        ),
        // LIKE wildcards are plain text.
        (json!({ "nameContains": "_%" }), vec!["Gamma_% 2028"]),
        (json!({ "nameContains": "%" }), vec!["Gamma_% 2028"]),
        (json!({ "nameContains": "a_" }), vec!["Gamma_% 2028"]),
        (json!({ "nameContains": "zeta" }), vec![]),
        (
            json!({ "activeOn": "2027-06-30" }),
            vec!["alpha 2027", "Beta 2027"],
        ),
        (
            json!({ "activeOn": "2027-07-01" }),
            vec!["alpha 2027", "ALPHABET H2"],
        ),
        (json!({ "activeOn": "2026-12-31" }), vec!["Alpha 2026"]),
        (json!({ "activeOn": "2029-01-01" }), vec![]),
        (
            json!({ "status": "ACTIVE", "activeOn": "2027-03-01" }),
            vec!["Beta 2027"],
        ),
        (
            json!({ "status": "ACTIVE", "nameContains": "alpha", "activeOn": "2027-12-31" }),
            vec!["ALPHABET H2"],
        ),
    ];
    for (filter, expected) in cases {
        let page = plans_page(&app, &token, json!({ "filter": filter })).await;
        assert_eq!(page.names, expected, "{filter}");
        assert_eq!(page.total, expected.len() as i64, "{filter}");
    }

    // Filters and cursors combine: one ACTIVE plan at a time.
    let filter = json!({ "status": "ACTIVE" });
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut variables = args(Some(1), after.as_deref(), None, None);
        variables["filter"] = filter.clone();
        let page = plans_page(&app, &token, variables).await;
        assert_eq!(page.total, 3);
        seen.extend(page.names.clone());
        if !page.has_next {
            break;
        }
        after = page.end;
        assert!(seen.len() <= 3, "the walk does not end");
    }
    assert_eq!(seen, vec!["Alpha 2026", "Beta 2027", "ALPHABET H2"]);
}
