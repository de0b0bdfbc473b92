//! The data the fuzzer starts from, created through the API as a client would: two personas,
//! two plans, campaigns, actions and measurements by hand, then one of everything else the
//! schema can create (generated with no chaos), then a cursor of every connection. Every ID and
//! cursor in the answers goes to the [`Pools`] the generator draws real values from.

use serde_json::{Value, json};

use super::{
    client::Client,
    generate::{Generator, Pools},
    model::{Kind, Model, named},
    rng::Rng,
};

/// What the seeding made.
pub struct Seeded {
    /// Real IDs, KPI keys and cursors.
    pub pools: Pools,
    /// The secret of an API key of the fuzzed tenant, if one could be created.
    pub api_key: Option<String>,
    /// `create…` and other seeding mutations that never succeeded (for the summary).
    pub not_seeded: Vec<String>,
}

async fn run(
    client: &Client,
    token: &str,
    query: &str,
    variables: Value,
    pools: &mut Pools,
) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let answer = client
        .graphql(token, &body)
        .await
        .unwrap_or_else(|e| panic!("seeding: no answer to {query}: {e}"));
    pools.harvest(&answer);
    answer
}

/// Runs a seeding operation that must succeed, and returns the payload of its root field.
async fn must(
    client: &Client,
    token: &str,
    field: &str,
    query: &str,
    variables: Value,
    pools: &mut Pools,
) -> Value {
    let answer = run(client, token, query, variables, pools).await;
    let payload = &answer["data"][field];
    let user_errors = payload["userErrors"].as_array().map(Vec::len).unwrap_or(0);
    assert!(
        answer.get("errors").is_none() && user_errors == 0 && !payload.is_null(),
        "seeding `{field}` failed (the fuzzer needs this data): {answer}"
    );
    payload.clone()
}

fn id_of(payload: &Value, object: &str) -> String {
    payload[object]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("seeding: no {object} id in {payload}"))
        .to_owned()
}

/// Seeds the tenant of `token` (an ADMIN of it) through the API.
pub async fn seed(client: &Client, token: &str, model: &Model, seed: u64) -> Seeded {
    let mut pools = Pools::default();
    let kpis = run(
        client,
        token,
        "{ kpiDefinitions { key } }",
        json!({}),
        &mut pools,
    )
    .await;
    pools.kpi_keys = kpis["data"]["kpiDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|definition| definition["key"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !pools.kpi_keys.is_empty(),
        "seeding: no KPI definitions: {kpis}"
    );

    let mut personas = Vec::new();
    for name in ["Sophie", "Marc"] {
        let payload = must(
            client,
            token,
            "createPersona",
            "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { persona { id } userErrors { field code } } }",
            json!({ "input": { "name": name, "gender": "F", "location": "Lyon" } }),
            &mut pools,
        )
        .await;
        personas.push(id_of(&payload, "persona"));
    }
    let mut plans = Vec::new();
    for name in ["Plan 2027", "Plan B"] {
        let payload = must(
            client,
            token,
            "createPlan",
            "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { field code } } }",
            json!({ "input": { "name": name, "periodStart": "2027-01-01", "periodEnd": "2027-12-31",
                               "budget": "100000", "personaIds": personas } }),
            &mut pools,
        )
        .await;
        plans.push(id_of(&payload, "plan"));
    }
    let mut campaigns = Vec::new();
    for (name, kind) in [("Spring", "AWARENESS"), ("Summer", "CONVERSION")] {
        let payload = must(
            client,
            token,
            "createCampaign",
            "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field code } } }",
            json!({ "input": {
                "planId": plans[0], "name": name, "kind": kind, "levers": ["SEO", "SEA"],
                "personaIds": personas, "startDate": "2027-03-01", "endDate": "2027-03-31", "budget": "1000"
            } }),
            &mut pools,
        )
        .await;
        campaigns.push(id_of(&payload, "campaign"));
    }
    let mut actions = Vec::new();
    for (title, due) in [
        ("Write the spring guide", "2027-03-31"),
        ("Shoot the reel", "2027-03-20"),
    ] {
        let payload = must(
            client,
            token,
            "createAction",
            "mutation($input: CreateActionInput!) { createAction(input: $input) { action { id } userErrors { field code } } }",
            json!({ "input": {
                "planId": plans[0], "title": title, "actionType": "CONTENT_PIECE",
                "lever": "CONTENT", "journeyStep": "CREATE_MESSAGES", "funnelStage": "ATTRACT",
                "startDate": "2027-03-01", "dueDate": due, "budget": "1000",
                "impact": 5, "confidence": 5, "ease": 5
            } }),
            &mut pools,
        )
        .await;
        actions.push(id_of(&payload, "action"));
    }
    let rows: Vec<Value> = (1..=6)
        .map(|day| {
            json!({
                "kpiKey": pools.kpi_keys.iter().find(|key| *key == "clicks").cloned().unwrap_or_else(|| pools.kpi_keys[0].clone()),
                "date": format!("2027-03-{day:02}"), "value": format!("{}", day * 10), "source": "manual",
                "externalId": format!("seed-{day}"),
                "campaignId": campaigns[day % 2], "personaId": personas[day % 2],
                "actionId": actions[day % 2], "lever": "SEO"
            })
        })
        .collect();
    must(
        client,
        token,
        "recordMeasurements",
        "mutation($input: RecordMeasurementsInput!) { recordMeasurements(input: $input) { measurements { id } userErrors { field code } } }",
        json!({ "input": { "measurements": rows } }),
        &mut pools,
    )
    .await;

    // One of everything else, generated without chaos; a few attempts each.
    let mut api_key = None;
    let mut not_seeded = Vec::new();
    let done = [
        "createPersona",
        "createPlan",
        "createCampaign",
        "createAction",
        "recordMeasurements",
    ];
    let seeders: Vec<_> = model
        .fields("Mutation")
        .iter()
        .filter(|field| {
            ["create", "record", "set"]
                .iter()
                .any(|prefix| field.name.starts_with(prefix))
                && !done.contains(&field.name.as_str())
        })
        .collect();
    for (number, field) in seeders.iter().enumerate() {
        let mut succeeded = false;
        for attempt in 0..6u64 {
            let rng = Rng::for_case(seed ^ 0x5EED, (number as u64) << 8 | attempt);
            let mut generator = Generator::new(model, &pools, rng, 0.0);
            // Business rules want some optional fields and forbid others: try all, none, some.
            let optional = [1.0, 0.0, 0.5][attempt as usize % 3];
            let (document, variables) = generator.seed_operation(field, optional);
            let body = format!(
                "{{\"query\":{},\"variables\":{variables}}}",
                serde_json::to_string(&document).unwrap_or_default()
            );
            let Ok(answer) = client.graphql(token, &body).await else {
                continue;
            };
            pools.harvest(&answer);
            let payload = &answer["data"][field.name.as_str()];
            let clean = answer.get("errors").is_none()
                && !payload.is_null()
                && payload["userErrors"].as_array().is_none_or(Vec::is_empty);
            if clean {
                if let Some(secret) = payload["secret"].as_str() {
                    api_key = Some(secret.to_owned());
                }
                succeeded = true;
                break;
            }
        }
        if !succeeded {
            not_seeded.push(field.name.clone());
        }
    }

    // A cursor of every connection: of the root lists, in every order of the actions, and of
    // the lists inside each seeded object.
    let mut selections = Vec::new();
    for field in model.fields("Query") {
        if named(&field.ty).ends_with("Connection") {
            selections.push(format!(
                "{0}: {0}(first: 1) {{ pageInfo {{ endCursor startCursor }} }}",
                field.name
            ));
            selections.push(format!(
                "{0}__last: {0}(last: 1) {{ pageInfo {{ endCursor startCursor }} }}",
                field.name
            ));
        }
    }
    if let Kind::Enum(orderings) = model.kind("ActionOrderField") {
        for (index, ordering) in orderings.iter().enumerate() {
            for direction in ["ASC", "DESC"] {
                selections.push(format!(
                    "actions__{index}{direction}: actions(first: 1, orderBy: {{ field: {ordering}, direction: {direction} }}) {{ pageInfo {{ endCursor startCursor }} }}"
                ));
            }
        }
    }
    run(
        client,
        token,
        &format!("{{ {} }}", selections.join(" ")),
        json!({}),
        &mut pools,
    )
    .await;
    let typed: Vec<(String, String)> = pools
        .ids
        .iter()
        .flat_map(|(type_name, ids)| {
            ids.iter()
                .take(2)
                .map(move |id| (type_name.clone(), id.clone()))
        })
        .collect();
    for (type_name, id) in typed {
        let inner: Vec<String> = model
            .fields(&type_name)
            .iter()
            .filter(|field| named(&field.ty).ends_with("Connection"))
            .map(|field| {
                format!(
                    "{0}(first: 1) {{ pageInfo {{ endCursor startCursor }} }}",
                    field.name
                )
            })
            .collect();
        if !inner.is_empty() {
            let query = format!(
                "query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {} }} }} }}",
                inner.join(" ")
            );
            run(client, token, &query, json!({ "id": id }), &mut pools).await;
        }
    }
    Seeded {
        pools,
        api_key,
        not_seeded,
    }
}
