//! No N+1: the SQL statements a request runs depend on the shape of the query, not on how many
//! rows it returns. The same query is measured on a tiny data set and on a large one (with
//! another tenant's rows alongside) and must cost the same number of statements.

use serde_json::{Value, json};

use crate::support::{TestApp, create_persona, mutate_ok};

const PLANS_QUERY: &str = "{ plans(first: 20) { totalCount edges { node { id name \
    personas { name } objectives { title } \
    campaigns(first: 20) { totalCount edges { node { name levers personas { name } plan { name } } } } } } } }";

/// Most statements the plans query may cost, whatever the data.
const MAX_STATEMENTS: u64 = 12;

/// What one tenant's data set holds.
#[derive(Clone, Copy)]
struct Shape {
    plans: usize,
    campaigns_per_plan: usize,
    personas_per_campaign: usize,
    objectives_per_plan: usize,
}

/// The global IDs created for a data set.
#[derive(Default)]
struct Created {
    tenant: String,
    plans: Vec<String>,
    personas: Vec<String>,
    campaigns: Vec<String>,
    objectives: Vec<String>,
}

/// Creates a tenant's data set through the API. Plan `p` targets the personas of its first
/// campaign; campaign `c` of plan `p` targets `personas_per_campaign` personas of a pool.
async fn build(app: &TestApp, token: &str, tenant: &str, shape: Shape) -> Created {
    let mut created = Created {
        tenant: app
            .data(token, "{ viewer { tenant { id } } }", json!({}))
            .await["viewer"]["tenant"]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        ..Created::default()
    };
    let pool_size = (shape.personas_per_campaign * 5).max(shape.personas_per_campaign);
    for i in 0..pool_size {
        created
            .personas
            .push(create_persona(app, token, &format!("{tenant} persona {i}")).await);
    }
    let personas_for = |plan: usize, campaign: usize| -> Vec<String> {
        (0..shape.personas_per_campaign)
            .map(|k| {
                created.personas[(plan * shape.campaigns_per_plan + campaign + k) % pool_size]
                    .clone()
            })
            .collect()
    };
    for p in 0..shape.plans {
        let plan = mutate_ok(
            app,
            token,
            "createPlan",
            "plan { id }",
            json!({ "name": format!("{tenant} plan {p}"), "periodStart": "2027-01-01",
                    "periodEnd": "2027-12-31", "budget": "100000", "personaIds": personas_for(p, 0) }),
        )
        .await["plan"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // All the plan's campaigns in one request, created in document order.
        let fields: Vec<String> = (0..shape.campaigns_per_plan)
            .map(|c| {
                format!(
                    "c{c}: createCampaign(input: {{ planId: \"{plan}\", name: \"{tenant} campaign {p}.{c}\", \
                     kind: AWARENESS, levers: [SEO, SEA], personaIds: {personas}, startDate: \"2027-03-01\", \
                     endDate: \"2027-03-31\", budget: \"10.5\" }}) {{ campaign {{ id }} userErrors {{ code }} }}",
                    personas = serde_json::to_string(&personas_for(p, c)).unwrap()
                )
            })
            .collect();
        if !fields.is_empty() {
            let data = app
                .data(
                    token,
                    &format!("mutation {{ {} }}", fields.join(" ")),
                    json!({}),
                )
                .await;
            for c in 0..shape.campaigns_per_plan {
                let campaign = &data[format!("c{c}")];
                assert_eq!(campaign["userErrors"], json!([]), "{campaign}");
                created
                    .campaigns
                    .push(campaign["campaign"]["id"].as_str().unwrap().to_owned());
            }
        }
        for o in 0..shape.objectives_per_plan {
            let objective = mutate_ok(
                app,
                token,
                "createObjective",
                "objective { id }",
                json!({ "planId": plan, "title": format!("{tenant} objective {p}.{o}"),
                        "kind": "TRAFFIC", "kpiKey": "sessions", "target": "1000",
                        "deadline": "2027-12-31" }),
            )
            .await;
            created
                .objectives
                .push(objective["objective"]["id"].as_str().unwrap().to_owned());
        }
        created.plans.push(plan);
    }
    created
}

/// How many times a measured request is repeated.
const SAMPLES: usize = 5;

/// Statements run by one request of `query` as `token`, after a warm-up run of the same
/// request; also returns the response's data.
///
/// The request is measured several times and the fewest statements count: the DataLoaders
/// gather keys for a short delay (1 ms), and on a busy machine a request may be descheduled
/// past it, splitting a batch in two. That adds statements, never removes any, and an N+1
/// shows in every sample, so the minimum is the query's real cost.
async fn measure(app: &TestApp, token: &str, query: &str, variables: Value) -> (u64, Value) {
    let expected = app.data(token, query, variables.clone()).await;
    let mut samples = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let before = app.statements();
        let data = app.data(token, query, variables.clone()).await;
        samples.push(app.statements() - before);
        assert_eq!(data, expected, "the same request gives the same answer");
    }
    let fewest = samples.iter().copied().min().unwrap_or_default();
    if samples.iter().any(|&count| count != fewest) {
        println!("statement counts of {SAMPLES} runs of the same request: {samples:?}");
    }
    (fewest, expected)
}

/// Another tenant's rows, so that a missing tenant filter or a cross-tenant batch shows.
const NEIGHBOUR: Shape = Shape {
    plans: 3,
    campaigns_per_plan: 4,
    personas_per_campaign: 1,
    objectives_per_plan: 1,
};

async fn plans_query_cost(shape: Shape) -> (u64, Value) {
    let app = TestApp::spawn().await;
    let globex = app.token("globex", "editor");
    build(&app, &globex, "globex", NEIGHBOUR).await;
    let acme = app.token("acme", "editor");
    build(&app, &acme, "acme", shape).await;
    measure(&app, &acme, PLANS_QUERY, json!({})).await
}

/// Checks the plans query's answer against the data set it was built from.
fn check_answer(data: &Value, shape: Shape) {
    let plans = &data["plans"];
    assert_eq!(plans["totalCount"], shape.plans);
    let edges = plans["edges"].as_array().unwrap();
    assert_eq!(edges.len(), shape.plans);
    for (p, edge) in edges.iter().enumerate() {
        let plan = &edge["node"];
        let name = format!("acme plan {p}");
        assert_eq!(plan["name"], name.as_str());
        assert_eq!(
            plan["personas"].as_array().unwrap().len(),
            shape.personas_per_campaign
        );
        assert_eq!(
            plan["objectives"].as_array().unwrap().len(),
            shape.objectives_per_plan
        );
        let campaigns = &plan["campaigns"];
        assert_eq!(campaigns["totalCount"], shape.campaigns_per_plan);
        let campaign_edges = campaigns["edges"].as_array().unwrap();
        assert_eq!(campaign_edges.len(), shape.campaigns_per_plan);
        for (c, campaign) in campaign_edges.iter().enumerate() {
            let campaign = &campaign["node"];
            assert_eq!(campaign["name"], format!("acme campaign {p}.{c}").as_str());
            assert_eq!(campaign["levers"], json!(["SEO", "SEA"]));
            assert_eq!(campaign["plan"]["name"], name.as_str());
            let personas = campaign["personas"].as_array().unwrap();
            assert_eq!(personas.len(), shape.personas_per_campaign);
            for persona in personas {
                assert!(
                    persona["name"]
                        .as_str()
                        .unwrap()
                        .starts_with("acme persona ")
                );
            }
        }
    }
}

#[tokio::test]
async fn the_plans_query_costs_the_same_for_1_or_400_campaigns() {
    let small = Shape {
        plans: 1,
        campaigns_per_plan: 1,
        personas_per_campaign: 1,
        objectives_per_plan: 1,
    };
    let large = Shape {
        plans: 20,
        campaigns_per_plan: 20,
        personas_per_campaign: 2,
        objectives_per_plan: 2,
    };
    let (small_cost, small_data) = plans_query_cost(small).await;
    check_answer(&small_data, small);
    let (large_cost, large_data) = plans_query_cost(large).await;
    check_answer(&large_data, large);
    println!(
        "plans query: {small_cost} statements for 1 plan × 1 campaign × 1 persona, \
         {large_cost} for 20 plans × 20 campaigns × 2 personas"
    );
    assert_eq!(
        large_cost, small_cost,
        "the statement count grows with the rows"
    );
    assert!(large_cost <= MAX_STATEMENTS, "{large_cost} statements");
    assert!(large_cost > 0, "the statement counter counts nothing");
}

/// A plan's campaigns take their budgets' currency from the plan they are listed under, and
/// their levers and personas are read for the whole page: selecting the budget adds no
/// statement, and reading the same relations again under another name adds none either.
#[tokio::test]
async fn a_plans_campaigns_read_their_relations_once_per_request() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let shape = Shape {
        plans: 3,
        campaigns_per_plan: 4,
        personas_per_campaign: 2,
        objectives_per_plan: 0,
    };
    build(&app, &acme, "acme", shape).await;
    let query = |campaign_fields: &str| {
        format!("{{ plans {{ nodes {{ campaigns {{ nodes {{ name {campaign_fields} }} }} }} }} }}")
    };
    let (without, _) = measure(&app, &acme, &query("levers personas { name }"), json!({})).await;
    let (with_budget, data) = measure(
        &app,
        &acme,
        &query("levers budget personas { name }"),
        json!({}),
    )
    .await;
    let (twice, _) = measure(
        &app,
        &acme,
        &query("levers budget personas { name } again: levers others: personas { id }"),
        json!({}),
    )
    .await;
    assert!(without > 0, "the statement counter counts nothing");
    assert_eq!(
        with_budget, without,
        "the budgets' currency cost statements"
    );
    assert_eq!(twice, without, "the same relations were read twice");
    let plans = data["plans"]["nodes"].as_array().unwrap();
    assert_eq!(plans.len(), shape.plans);
    for plan in plans {
        let campaigns = plan["campaigns"]["nodes"].as_array().unwrap();
        assert_eq!(campaigns.len(), shape.campaigns_per_plan);
        for campaign in campaigns {
            assert_eq!(campaign["budget"], "10.50");
            assert_eq!(campaign["levers"], json!(["SEO", "SEA"]));
            assert_eq!(campaign["personas"].as_array().unwrap().len(), 2);
        }
    }
}

const NODES_QUERY: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
    ... on Plan { name } ... on Persona { name } ... on Tenant { key }
    ... on Campaign { name plan { name } } ... on Objective { title plan { name } }
    ... on KpiDefinition { key } } }";

#[tokio::test]
async fn nodes_cost_the_same_for_1_or_50_ids() {
    let app = TestApp::spawn().await;
    let globex = app.token("globex", "editor");
    let neighbour = build(&app, &globex, "globex", NEIGHBOUR).await;
    let acme = app.token("acme", "editor");
    let shape = Shape {
        plans: 10,
        campaigns_per_plan: 3,
        personas_per_campaign: 1,
        objectives_per_plan: 1,
    };
    let created = build(&app, &acme, "acme", shape).await;
    let kpis: Vec<String> = app
        .data(&acme, "{ kpiDefinitions { id } }", json!({}))
        .await["kpiDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kpi| kpi["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(kpis.len() >= 5, "the catalogue has built-in KPIs");

    let cost = |ids: Vec<String>| {
        let app = &app;
        let acme = &acme;
        async move {
            let (statements, data) = measure(app, acme, NODES_QUERY, json!({ "ids": ids })).await;
            let nodes = data["nodes"].as_array().unwrap().clone();
            assert_eq!(nodes.len(), ids.len());
            (statements, nodes)
        }
    };

    // One type at a time: 1 ID and many IDs cost the same.
    let own_tenant_many_times = vec![created.tenant.clone(); 20];
    let singles = [
        ("Tenant", &own_tenant_many_times),
        ("Plan", &created.plans),
        ("Persona", &created.personas),
        ("Campaign", &created.campaigns),
        ("Objective", &created.objectives),
        ("KpiDefinition", &kpis),
    ];
    let mut singles_total = 0;
    for (type_name, ids) in singles {
        let (one, nodes) = cost(ids[..1].to_vec()).await;
        assert_eq!(nodes[0]["__typename"], type_name);
        let (many, nodes) = cost(ids.clone()).await;
        assert!(nodes.iter().all(|node| node["__typename"] == type_name));
        println!(
            "nodes of {type_name}: {one} statements for 1 ID, {many} for {}",
            ids.len()
        );
        assert_eq!(
            many, one,
            "{type_name}: the statement count grows with the IDs"
        );
        singles_total += many;
    }

    // Mixed types: one ID of each type costs what 50 IDs of the same types cost.
    let one_of_each = vec![
        created.tenant.clone(),
        created.plans[0].clone(),
        created.personas[0].clone(),
        created.campaigns[0].clone(),
        created.objectives[0].clone(),
        kpis[0].clone(),
    ];
    let mut fifty: Vec<String> = vec![created.tenant.clone(); 3];
    fifty.extend(created.plans.iter().take(10).cloned());
    fifty.extend(created.personas.iter().take(5).cloned());
    fifty.extend(created.campaigns.iter().take(20).cloned());
    fifty.extend(created.objectives.iter().take(9).cloned());
    fifty.extend(kpis.iter().take(3).cloned());
    assert_eq!(fifty.len(), 50);
    let (few_cost, nodes) = cost(one_of_each.clone()).await;
    assert!(nodes.iter().all(|node| !node.is_null()), "{nodes:?}");
    let (fifty_cost, nodes) = cost(fifty.clone()).await;
    assert!(nodes.iter().all(|node| !node.is_null()), "{nodes:?}");
    for (node, id) in nodes.iter().zip(&fifty) {
        assert_eq!(node["id"], id.as_str(), "nodes keeps the order of the IDs");
    }
    println!(
        "nodes of mixed types: {few_cost} statements for 1 ID of each of 6 types, {fifty_cost} for 50 IDs"
    );
    // Campaigns and objectives both ask the plan loader for their plans, each as soon as its own
    // loader answers: when the two answers are more than the loader's delay apart (a loaded
    // machine), the plans come in two statements instead of one, for 1 ID as for 50. What must
    // hold is that mixing types costs no more than the types one by one, whatever the count.
    assert!(
        few_cost <= singles_total && fifty_cost <= singles_total,
        "the statement count grows with the IDs: {few_cost} for 6 IDs, {fifty_cost} for 50, \
         {singles_total} for the types one by one"
    );

    // The other tenant's IDs mixed in are nulls, and cost no more either.
    let mut with_foreign = fifty[..40].to_vec();
    with_foreign.extend(neighbour.campaigns.iter().take(5).cloned());
    with_foreign.extend(neighbour.plans.iter().take(3).cloned());
    with_foreign.extend(neighbour.personas.iter().take(1).cloned());
    with_foreign.push(neighbour.tenant.clone());
    assert_eq!(with_foreign.len(), 50);
    let (foreign_cost, nodes) = cost(with_foreign).await;
    assert!(nodes[..40].iter().all(|node| !node.is_null()));
    assert!(nodes[40..].iter().all(Value::is_null), "{nodes:?}");
    println!("nodes with 10 foreign IDs among 50: {foreign_cost} statements");
    assert!(
        foreign_cost <= singles_total,
        "{foreign_cost} > {singles_total}"
    );
}

/// Loader lookups on PostgreSQL bind their ids as one array. PostgreSQL switches a prepared
/// statement to a generic plan after five runs; in it, the ids must be unnested once, not cast
/// from the bound text again for every row the scan looks at (what `= ANY(CAST($1 AS uuid[]))`
/// did: 300–400 ms for the levers of 400 campaigns on a table not yet analysed). Checked on the
/// generic plan of the campaign-levers lookup, as the loaders build it.
#[tokio::test]
async fn id_lists_are_unnested_once_in_generic_plans() {
    use entity::campaign_lever;
    use sea_orm::{
        ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
        Statement, TransactionTrait,
    };

    if !crate::support::on_postgres() {
        return; // SQLite keeps `IN (…)` and has no generic plans
    }
    let app = TestApp::spawn().await;
    let token = app.token("acme", "admin");
    let plan = crate::support::create_plan(&app, &token, "Generic plans").await;
    let mut campaign_ids = Vec::new();
    for index in 0..20 {
        let id =
            crate::support::create_campaign(&app, &token, &plan, &format!("C{index}"), &[]).await;
        let hex = crate::support::uuid_hex_of(&id);
        campaign_ids.push(uuid::Uuid::parse_str(&hex).unwrap_or_else(|e| panic!("{e}")));
    }
    let database = app.app.database();
    let tenant: uuid::Uuid = database
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tenant_id FROM campaigns LIMIT 1",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|row| row.try_get_by_index(0).ok())
        .unwrap_or_else(|| panic!("no campaign row"));

    let lookup = campaign_lever::Entity::find()
        .select_only()
        .columns([
            campaign_lever::Column::CampaignId,
            campaign_lever::Column::Lever,
        ])
        .filter(campaign_lever::Column::TenantId.eq(tenant))
        .filter(levier::store::scope::postgres_one_of(
            campaign_lever::Column::CampaignId,
            campaign_ids.iter().copied(),
        ))
        .build(DbBackend::Postgres);
    // The arguments, typed as the driver binds them (the ids as text, cast in the statement).
    let (types, arguments): (Vec<&str>, Vec<String>) = lookup
        .values
        .iter()
        .flat_map(|values| values.0.iter())
        .map(|value| match value {
            sea_orm::Value::Uuid(Some(id)) => ("uuid", format!("'{id}'")),
            sea_orm::Value::String(Some(text)) => ("text", format!("'{text}'")),
            other => panic!("unexpected bound value {other:?}"),
        })
        .unzip();

    let transaction = database.begin().await.unwrap_or_else(|e| panic!("{e}"));
    for setup in [
        "SET LOCAL plan_cache_mode = force_generic_plan".to_owned(),
        format!(
            "PREPARE levier_one_of({}) AS {}",
            types.join(", "),
            lookup.sql
        ),
    ] {
        transaction
            .execute_unprepared(&setup)
            .await
            .unwrap_or_else(|e| panic!("`{setup}`: {e}"));
    }
    let plan_lines: Vec<String> = transaction
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("EXPLAIN EXECUTE levier_one_of({})", arguments.join(", ")),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap_or_default())
        .collect();
    transaction
        .rollback()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let plan_text = plan_lines.join("\n");
    let per_row = plan_lines
        .iter()
        .filter(|line| line.trim_start().starts_with("Filter:") && line.contains("uuid[]"))
        .count();
    assert_eq!(
        per_row, 0,
        "a filter casts the id array for every row:\n{plan_text}"
    );
    assert!(
        plan_text.contains("unnest"),
        "the ids are not unnested:\n{plan_text}"
    );
}
