//! Seeding through the API itself: personas, plans targeting a few of them, and campaigns with
//! levers and personas in every plan — the same mutations a client would send.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures::{StreamExt, TryStreamExt, stream};
use serde::Serialize;
use serde_json::json;

use crate::graphql::GraphqlClient;

const CREATE_PERSONA: &str = "mutation($input: CreatePersonaInput!) { createPersona(input: $input) { persona { id } userErrors { field message code } } }";
const CREATE_PLAN: &str = "mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } userErrors { field message code } } }";
const CREATE_CAMPAIGN: &str = "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field message code } } }";

const LEVERS: [&str; 8] = [
    "SEO",
    "SEA",
    "EMAILING",
    "SOCIAL_ADS",
    "CONTENT",
    "DISPLAY",
    "AFFILIATION",
    "EVENTS",
];
const KINDS: [&str; 4] = ["AWARENESS", "TRAFFIC", "CONVERSION", "LOYALTY"];

/// How much data to create.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Dataset {
    /// Plans of the tenant.
    pub plans: usize,
    /// Campaigns in every plan.
    pub campaigns_per_plan: usize,
    /// Personas of the tenant; each plan targets 3 of them and each campaign 2.
    pub personas: usize,
}

/// What seeding did.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SeedOutcome {
    /// Mutations sent.
    pub mutations: usize,
    /// Wall time.
    #[serde(serialize_with = "crate::report::seconds")]
    pub duration: Duration,
}

/// The ids at `positions` (modulo the number of ids), without repeats.
fn pick(ids: &[String], positions: &[usize]) -> Vec<String> {
    let mut picked: Vec<String> = Vec::new();
    for position in positions {
        if let Some(id) = ids.get(position % ids.len().max(1))
            && !picked.contains(id)
        {
            picked.push(id.clone());
        }
    }
    picked
}

/// Creates the dataset, `concurrency` mutations at a time.
pub async fn seed(
    client: &GraphqlClient,
    dataset: Dataset,
    concurrency: usize,
) -> anyhow::Result<SeedOutcome> {
    let started = Instant::now();
    let personas: Vec<String> = stream::iter(0..dataset.personas)
        .map(|index| {
            client.create(
                CREATE_PERSONA,
                "createPersona",
                "persona",
                json!({
                    "name": format!("Persona {index}"),
                    "summary": "A target customer of the benchmark dataset.",
                    "motivations": ["save time", "grow revenue"],
                    "painPoints": ["too many tools"],
                    "preferredLevers": [LEVERS[index % LEVERS.len()], LEVERS[(index + 1) % LEVERS.len()]],
                }),
            )
        })
        .buffered(concurrency)
        .try_collect()
        .await
        .context("seeding personas")?;
    let plans: Vec<String> = stream::iter(0..dataset.plans)
        .map(|index| {
            client.create(
                CREATE_PLAN,
                "createPlan",
                "plan",
                json!({
                    "name": format!("Plan {index}"),
                    "periodStart": "2027-01-01",
                    "periodEnd": "2027-12-31",
                    "budget": "250000.00",
                    "personaIds": pick(&personas, &[index, index + 1, index + 2]),
                }),
            )
        })
        .buffered(concurrency)
        .try_collect()
        .await
        .context("seeding plans")?;
    let campaigns = plans.iter().enumerate().flat_map(|(plan_index, plan_id)| {
        (0..dataset.campaigns_per_plan)
            .map(move |campaign_index| (plan_index, plan_id, campaign_index))
    });
    let campaign_count = stream::iter(campaigns)
        .map(|(plan_index, plan_id, index)| {
            let month = index % 12 + 1;
            client.create(
                CREATE_CAMPAIGN,
                "createCampaign",
                "campaign",
                json!({
                    "planId": plan_id,
                    "name": format!("Campaign {plan_index}-{index}"),
                    "kind": KINDS[index % KINDS.len()],
                    "levers": [LEVERS[index % LEVERS.len()], LEVERS[(index + 3) % LEVERS.len()]],
                    "personaIds": pick(&personas, &[plan_index + index, plan_index + index + 7]),
                    "startDate": format!("2027-{month:02}-01"),
                    "endDate": format!("2027-{month:02}-28"),
                    "budget": format!("{}.25", 1000 + index * 10),
                }),
            )
        })
        .buffer_unordered(concurrency)
        .try_fold(0usize, |count, _| async move { Ok(count + 1) })
        .await
        .context("seeding campaigns")?;
    Ok(SeedOutcome {
        mutations: personas.len() + plans.len() + campaign_count,
        duration: started.elapsed(),
    })
}
