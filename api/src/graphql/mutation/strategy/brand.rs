//! `setBrand`: the brand platform of a plan.

use async_graphql::{Context, Object, Result};

use crate::{
    domain,
    graphql::{
        context::session, errors::into_payload, inputs::strategy::brand::SetBrandInput,
        types::Brand,
    },
    ids::{self, NodeType},
    payload,
};

payload!(
    SetBrandPayload,
    brand,
    Brand,
    "The result of `setBrand`.",
    "The plan's brand platform as written; null when there are user errors."
);

/// Mutations of a plan's brand platform.
#[derive(Default)]
pub struct BrandMutation;

#[Object]
impl BrandMutation {
    /// Creates (`expectedVersion: null`) or replaces (the version read) the brand platform of a
    /// plan (EDITOR or ADMIN). NOT_FOUND when the plan is not the tenant's; CONFLICT when the
    /// plan's brand is not at the expected version (or already exists when creating).
    async fn set_brand(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan and its whole brand platform.")] input: SetBrandInput,
    ) -> Result<SetBrandPayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let version = input.expected_version;
        let (brand, user_errors) = into_payload(
            domain::strategy::brand::set(session(ctx)?, plan_id, version, input.content()).await,
        )?;
        Ok(SetBrandPayload {
            brand: brand.map(Brand),
            user_errors,
        })
    }
}
