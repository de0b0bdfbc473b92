//! A page of campaigns with the relations its query selects read ahead, for the whole page at
//! once.
//!
//! A nested read of 20 plans × 20 campaigns selecting `levers`, `budget` and `personas` asked
//! the DataLoaders 1 200 times for one campaign's relation, and each call paid for the loader's
//! lock, key set, channel and result map (about 2 300 instructions) only to be answered from the
//! same three statements. A connection of campaigns now asks once per page for the relations
//! its `nodes` or `edges { node }` select (the lookahead ignores aliases, fragments are
//! followed, and a relation selected under `@skip` is read for nothing, as a loader call would
//! have been), and each node holds its own: the loaders still batch the pages of a request
//! into one statement per relation. A campaign built anywhere else (by ID, by a mutation)
//! holds nothing read ahead, and its fields load one campaign at a time as before.
//!
//! What a node holds was read within its own request, like what a loader call would have
//! returned: no cache outlives the request, and a subscription or a mutation builds its nodes
//! afresh.

use std::{collections::HashMap, sync::Arc};

use async_graphql::{Context, Lookahead};
use entity::{campaign, enums::Lever};
use uuid::Uuid;

use super::Campaign;
use crate::{
    error::ApiError,
    graphql::{context::loaders, types::Persona},
};

/// Relations of one campaign, each present when it was read ahead.
#[derive(Debug, Clone, Default)]
pub struct ReadAhead {
    /// Its levers, in order.
    pub levers: Option<Vec<Lever>>,
    /// The personas it targets.
    pub personas: Option<Vec<Persona>>,
    /// Its plan's currency.
    pub currency: Option<Arc<str>>,
}

/// The relations a selection of campaign nodes asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Wanted {
    levers: bool,
    personas: bool,
    currency: bool,
}

impl Wanted {
    /// What the campaigns of a connection selected by `connection` need, through its `nodes`
    /// or its `edges { node }`.
    fn of_connection(connection: &Lookahead<'_>) -> Self {
        let nodes = connection.field("nodes");
        let edge_nodes = connection.field("edges").field("node");
        let selects = |field: &str| nodes.field(field).exists() || edge_nodes.field(field).exists();
        Self {
            levers: selects("levers"),
            personas: selects("personas"),
            currency: selects("budget"),
        }
    }

    fn anything(self) -> bool {
        self.levers || self.personas || self.currency
    }
}

/// Gives each campaign of `nodes`, the nodes of the connection the current field resolves to,
/// the relations the query selects under it. `plan_currency` is the currency of the plan every
/// campaign belongs to, when the caller knows it (a plan's own list); otherwise the currencies
/// are loaded for the campaigns' plans.
pub async fn read_ahead(
    ctx: &Context<'_>,
    nodes: &mut [Campaign],
    plan_currency: Option<Arc<str>>,
) -> Result<(), ApiError> {
    let wanted = Wanted::of_connection(&ctx.look_ahead());
    if nodes.is_empty() || !wanted.anything() {
        return Ok(());
    }
    let loaders = loaders(ctx)?;
    let ids: Vec<Uuid> = nodes.iter().map(|node| node.0.model.id).collect();
    let load_currencies = wanted.currency && plan_currency.is_none();
    let (mut levers, mut personas, currencies) = futures::try_join!(
        async {
            if wanted.levers {
                loaders.campaign_levers.load_many(ids.iter().copied()).await
            } else {
                Ok(HashMap::new())
            }
        },
        async {
            if wanted.personas {
                loaders
                    .campaign_personas
                    .load_many(ids.iter().copied())
                    .await
            } else {
                Ok(HashMap::new())
            }
        },
        async {
            if load_currencies {
                let mut plan_ids: Vec<Uuid> = nodes.iter().map(|node| node.0.plan_id).collect();
                plan_ids.sort_unstable();
                plan_ids.dedup();
                loaders.plan_currency.load_many(plan_ids).await
            } else {
                Ok(HashMap::new())
            }
        },
    )?;
    for node in nodes {
        let held = &mut node.0.read_ahead;
        let id = node.0.model.id;
        if wanted.levers {
            // A campaign without levers has no row: an empty list, as its field answers.
            held.levers = Some(levers.remove(&id).unwrap_or_default());
        }
        if wanted.personas {
            held.personas = Some(
                personas
                    .remove(&id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(Persona)
                    .collect(),
            );
        }
        if wanted.currency {
            // A plan missing from the currencies was deleted meanwhile: the field loads it
            // again and answers as it always did.
            held.currency = match &plan_currency {
                Some(currency) => Some(Arc::clone(currency)),
                None => currencies.get(&node.0.model.plan_id).cloned(),
            };
        }
    }
    Ok(())
}

/// A campaign model and what was read ahead for it.
#[derive(Debug, Clone)]
pub struct CampaignRow {
    /// The campaign as stored.
    pub model: campaign::Model,
    /// Its relations read ahead with its page, if any.
    pub read_ahead: ReadAhead,
}

impl From<campaign::Model> for CampaignRow {
    fn from(model: campaign::Model) -> Self {
        Self {
            model,
            read_ahead: ReadAhead::default(),
        }
    }
}

impl std::ops::Deref for CampaignRow {
    type Target = campaign::Model;

    fn deref(&self) -> &campaign::Model {
        &self.model
    }
}
