//! `applyArbitrage`: cancels the actions a proposal cuts.

use async_graphql::{Context, Object, Result, SimpleObject};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::plan::arbitrage::ApplyArbitrageInput,
        types::{Action, ArbitrageProposal},
    },
    ids::{self, NodeType},
};

/// The result of `applyArbitrage`.
#[derive(SimpleObject)]
pub struct ApplyArbitragePayload {
    /// The proposal applied (its actions as they are now); null when there are user errors.
    pub proposal: Option<ArbitrageProposal>,
    /// The actions cancelled (status CANCELLED, version bumped): the proposal's cut actions.
    pub cancelled_actions: Vec<Action>,
    /// Problems with the input; when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations of the budget arbitrage.
#[derive(Default)]
pub struct ArbitrageMutation;

#[Object]
impl ArbitrageMutation {
    /// Applies a proposal of the `arbitrage` query (EDITOR or ADMIN): recomputes it and, in one
    /// transaction, cancels its cut actions. Refused with CONFLICT, changing nothing, when
    /// `fingerprint` is no longer the proposal's `planVersion` (the plan or one of its actions
    /// changed, or the ceiling or bounds differ); NOT_FOUND when the plan is not the tenant's.
    async fn apply_arbitrage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The proposal's plan, ceiling, bounds and planVersion.")]
        input: ApplyArbitrageInput,
    ) -> Result<ApplyArbitragePayload> {
        let plan_id = ids::decode_as(&input.plan_id, NodeType::Plan)?;
        let (params, fingerprint) = input.into_params(plan_id);
        let (applied, user_errors) = into_payload(
            domain::plan::arbitrage::apply(session(ctx)?, &params, &fingerprint).await,
        )?;
        let (proposal, cancelled) = match applied {
            Some((arbitrage, cancelled)) => (
                Some(ArbitrageProposal(arbitrage)),
                cancelled.into_iter().map(Action).collect(),
            ),
            None => (None, Vec::new()),
        };
        Ok(ApplyArbitragePayload {
            proposal,
            cancelled_actions: cancelled,
            user_errors,
        })
    }
}
