//! `setMarketingMix`: the ten dimensions of a plan's marketing mix.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session, errors::into_payload, inputs::strategy::mix::SetMarketingMixInput,
        types::MarketingMixEntry,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    SetMarketingMixPayload,
    entry,
    MarketingMixEntry,
    "The result of `setMarketingMix`.",
    "The dimension as written (its text null once cleared); null when there are user errors."
);

/// Mutations of a plan's marketing mix.
#[derive(Default)]
pub struct MixMutation;

#[Object]
impl MixMutation {
    /// Sets the text of one dimension of a plan's marketing mix, or clears it with a null or
    /// empty text (EDITOR or ADMIN); NOT_FOUND when the plan is not the tenant's.
    async fn set_marketing_mix(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan, the dimension and its text.")] input: SetMarketingMixInput,
    ) -> Result<SetMarketingMixPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let dimension = input.dimension;
        let (entry, user_errors) = into_payload(
            domain::strategy::mix::set(session(ctx)?, plan_id, dimension, input.text.as_deref())
                .await,
        )?;
        Ok(SetMarketingMixPayload {
            entry: entry.map(|entry| MarketingMixEntry { dimension, entry }),
            user_errors,
        })
    }
}
