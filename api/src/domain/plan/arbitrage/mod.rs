//! Arbitrage of a plan's actions against a budget ceiling: reads the plan and its actions,
//! computes the proposal with [`crate::domain::plan::arbitrage::proposal::propose`] (which changes nothing), and applies
//! one by cancelling the cut actions in one transaction, refused with CONFLICT when the plan
//! changed since the proposal was read.

pub mod proposal;

use std::collections::HashMap;

use entity::{action, action_enums::ActionStatus, enums::Lever, plan};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::domain::{
    DomainError, DomainResult, FieldErrorCode, Session, money,
    plan::arbitrage::proposal::{ArbitrageRequest, Candidate, Committed, LeverBound, Proposal},
    validation::Violations,
};
use crate::{
    auth::Permission,
    store::{self, Scoped},
};

/// Bounds asked for one lever, as decimals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeverBoundParams {
    /// The lever.
    pub lever: Lever,
    /// Minimum spend (committed plus kept) to reach, if the ceiling allows.
    pub min_spend: Option<Decimal>,
    /// Maximum spend (committed plus kept).
    pub max_spend: Option<Decimal>,
}

/// What an arbitrage is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArbitrageParams {
    /// The plan.
    pub plan_id: Uuid,
    /// The budget ceiling (not negative).
    pub ceiling: Decimal,
    /// Per-lever bounds, at most one per lever.
    pub lever_bounds: Vec<LeverBoundParams>,
}

/// A proposal for one plan, with the actions it speaks of.
#[derive(Debug, Clone)]
pub struct PlanArbitrage {
    /// The plan.
    pub plan: plan::Model,
    /// Kept and cut candidates with their totals.
    pub proposal: Proposal,
    /// The fingerprint of what the proposal was computed from (see [`fingerprint`]).
    pub plan_version: String,
    /// The plan's actions by id.
    pub actions: HashMap<Uuid, action::Model>,
}

impl PlanArbitrage {
    /// The action rows of `candidates`, in their order.
    pub fn rows(&self, candidates: &[Candidate]) -> Vec<action::Model> {
        candidates
            .iter()
            .filter_map(|candidate| self.actions.get(&candidate.id).cloned())
            .collect()
    }
}

fn bound_amount(
    violations: &mut Violations,
    index: &str,
    field: &str,
    value: Option<Decimal>,
) -> Option<i64> {
    let value = value?;
    let path = ["leverBounds", index, field];
    if value.is_sign_negative() && !value.is_zero() {
        violations.add(&path, FieldErrorCode::OutOfRange, "must not be negative");
        return None;
    }
    match money::to_micros(value) {
        Ok(micros) => Some(micros),
        Err(money::AmountError::TooPrecise) => {
            violations.add(
                &path,
                FieldErrorCode::TooPrecise,
                "use at most 6 decimal places",
            );
            None
        }
        Err(money::AmountError::TooLarge) => {
            violations.add(&path, FieldErrorCode::OutOfRange, "the value is too large");
            None
        }
    }
}

/// Checks the ceiling and the bounds; returns them in micros.
fn validate(params: &ArbitrageParams) -> DomainResult<(i64, Vec<LeverBound>)> {
    let mut violations = Violations::new();
    let ceiling = violations.money("ceiling", params.ceiling);
    let mut bounds: Vec<LeverBound> = Vec::new();
    for (index, bound) in params.lever_bounds.iter().enumerate() {
        let index = index.to_string();
        if bounds.iter().any(|seen| seen.lever == bound.lever) {
            violations.add(
                &["leverBounds", &index, "lever"],
                FieldErrorCode::Duplicate,
                "each lever may be bounded once",
            );
        }
        let min = bound_amount(&mut violations, &index, "minSpend", bound.min_spend);
        let max = bound_amount(&mut violations, &index, "maxSpend", bound.max_spend);
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            violations.add(
                &["leverBounds", &index, "minSpend"],
                FieldErrorCode::OutOfRange,
                "must not exceed maxSpend",
            );
        }
        bounds.push(LeverBound {
            lever: bound.lever,
            min_micros: min,
            max_micros: max,
        });
    }
    violations.finish()?;
    Ok((ceiling, bounds))
}

/// FNV-1a, 64 bits: a small stable hash (the same in every process and Rust version); the
/// scenarios' plan fingerprint uses it too.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Longest text accepted as a fingerprint (one is 16 hexadecimal digits; longer texts are
/// refused as too long rather than compared).
pub(crate) const MAX_FINGERPRINT_CHARS: usize = 64;

/// The fingerprint of an arbitrage's inputs: the plan's id and version, every action of the
/// plan by id with its version (any change to an action bumps it; an added or deleted action
/// changes the set), the ceiling and the bounds. Two reads give the same fingerprint exactly
/// when the proposal would be computed from the same data.
pub fn fingerprint(
    plan: &plan::Model,
    actions: &[action::Model],
    ceiling_micros: i64,
    bounds: &[LeverBound],
) -> String {
    let mut text = format!("plan {} v{}\n", plan.id, plan.version);
    let mut rows: Vec<(Uuid, i32)> = actions.iter().map(|a| (a.id, a.version)).collect();
    rows.sort_unstable();
    for (id, version) in rows {
        text.push_str(&format!("action {id} v{version}\n"));
    }
    text.push_str(&format!("ceiling {ceiling_micros}\n"));
    let mut bounds = bounds.to_vec();
    bounds.sort_by_key(|bound| bound.lever);
    for bound in bounds {
        text.push_str(&format!(
            "bound {:?} {:?} {:?}\n",
            bound.lever, bound.min_micros, bound.max_micros
        ));
    }
    format!("{:016x}", fnv1a(text.as_bytes()))
}

/// Reads the plan's actions and computes the proposal.
async fn compute<C: ConnectionTrait>(
    scope: &Scoped<C>,
    plan: plan::Model,
    ceiling_micros: i64,
    bounds: Vec<LeverBound>,
) -> DomainResult<PlanArbitrage> {
    let rows = store::campaign::action::all_of_plan(scope, plan.id).await?;
    let plan_version = fingerprint(&plan, &rows, ceiling_micros, &bounds);
    let request = request_of(&rows, ceiling_micros, bounds);
    Ok(PlanArbitrage {
        plan,
        proposal: proposal::propose(&request),
        plan_version,
        actions: rows.into_iter().map(|row| (row.id, row)).collect(),
    })
}

/// What the arbitrage of `actions` (a plan's, with the budgets to weigh them at) is computed
/// from: DONE actions are committed spend, CANCELLED ones count for nothing, every other one
/// is a candidate. Scenarios arbitrate their own budgets through it.
pub fn request_of(
    actions: &[action::Model],
    ceiling_micros: i64,
    bounds: Vec<LeverBound>,
) -> ArbitrageRequest {
    let mut request = ArbitrageRequest {
        ceiling_micros,
        bounds,
        committed: Vec::new(),
        candidates: Vec::new(),
    };
    for row in actions {
        match row.status {
            // Spent already: counts against the ceiling and its lever, is not a candidate.
            ActionStatus::Done => request.committed.push(Committed {
                lever: row.lever,
                micros: row.budget_micros,
            }),
            ActionStatus::Cancelled => {}
            _ => request.candidates.push(Candidate {
                id: row.id,
                lever: row.lever,
                cost_micros: row.budget_micros,
                ice_score: row.ice_score,
                due_date: row.due_date,
            }),
        }
    }
    request
}

/// Proposes which actions of a plan to keep under a ceiling; changes nothing (VIEWER may).
pub async fn propose(session: &Session, params: &ArbitrageParams) -> DomainResult<PlanArbitrage> {
    let scope = session.scope(Permission::ReadPlan)?;
    let plan = scope.get::<plan::Entity>(params.plan_id).await?;
    let (ceiling, bounds) = validate(params)?;
    compute(&scope, plan, ceiling, bounds).await
}

/// Recomputes the proposal and cancels its cut actions in one transaction, if its fingerprint
/// is still `expected_plan_version` (CONFLICT otherwise, with nothing changed). Returns the
/// proposal applied (its rows as they are after the apply) and the cancelled actions.
pub async fn apply(
    session: &Session,
    params: &ArbitrageParams,
    expected_plan_version: &str,
) -> DomainResult<(PlanArbitrage, Vec<action::Model>)> {
    let scope = session.scope(Permission::EditPlan)?;
    scope.get::<plan::Entity>(params.plan_id).await?;
    // A fingerprint is 16 hexadecimal digits: a text that cannot be one is malformed input,
    // not a stale version.
    let mut violations = Violations::new();
    violations.check_text(
        &["fingerprint"],
        expected_plan_version,
        MAX_FINGERPRINT_CHARS,
    );
    violations.finish()?;
    let (ceiling, bounds) = validate(params)?;
    let transaction = scope.begin().await?;
    // Read again inside the transaction: the fingerprint must describe what is cancelled.
    let plan = transaction.get::<plan::Entity>(params.plan_id).await?;
    let mut arbitrage = compute(&transaction, plan, ceiling, bounds).await?;
    if arbitrage.plan_version != expected_plan_version {
        return Err(DomainError::Conflict);
    }
    let cut: Vec<(Uuid, i32)> = arbitrage
        .rows(&arbitrage.proposal.cut)
        .iter()
        .map(|row| (row.id, row.version))
        .collect();
    store::campaign::action::cancel_at_versions(&transaction, &cut).await?;
    // One audit entry on the plan, with the moves: each cancelled action and its version.
    transaction
        .audit(vec![store::audit::Entry {
            action: store::audit::ARBITRAGE_APPLIED.to_owned(),
            object_type: "Plan".to_owned(),
            object_id: params.plan_id,
            plan_id: Some(params.plan_id),
            before: None,
            after: None,
            changed_fields: Vec::new(),
            details: Some(serde_json::json!({
                "ceiling": params.ceiling.to_string(),
                "fingerprint": expected_plan_version,
                "cancelled": cut
                    .iter()
                    .map(|(id, version)| serde_json::json!({
                        "actionId": id.to_string(),
                        "version": version,
                        "status": "CANCELLED",
                    }))
                    .collect::<Vec<_>>(),
            })),
        }])
        .await?;
    if !cut.is_empty() {
        crate::domain::plan::review::guard::budget_changed(
            &transaction,
            session,
            params.plan_id,
            crate::domain::plan::review::guard::BudgetChange::Arbitrage,
            &["planId"],
        )
        .await?;
    }
    let ids: Vec<Uuid> = cut.iter().map(|(id, _)| *id).collect();
    let cancelled = transaction.find_many::<action::Entity>(&ids).await?;
    transaction.commit().await?;
    for row in &cancelled {
        arbitrage.actions.insert(row.id, row.clone());
    }
    let cancelled = arbitrage.rows(&arbitrage.proposal.cut);
    Ok((arbitrage, cancelled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_its_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn bounds_are_checked_with_their_paths() {
        let params = ArbitrageParams {
            plan_id: Uuid::nil(),
            ceiling: Decimal::new(-1, 0),
            lever_bounds: vec![
                LeverBoundParams {
                    lever: Lever::Seo,
                    min_spend: Some(Decimal::new(10, 0)),
                    max_spend: Some(Decimal::new(5, 0)),
                },
                LeverBoundParams {
                    lever: Lever::Seo,
                    min_spend: Some(Decimal::new(-3, 0)),
                    max_spend: Some(Decimal::new(1, 7)),
                },
            ],
        };
        match validate(&params) {
            Err(DomainError::Invalid(errors)) => {
                let found: Vec<_> = errors.iter().map(|e| (e.field.join("."), e.code)).collect();
                assert_eq!(
                    found,
                    vec![
                        ("input.ceiling".into(), FieldErrorCode::OutOfRange),
                        (
                            "input.leverBounds.0.minSpend".into(),
                            FieldErrorCode::OutOfRange
                        ),
                        (
                            "input.leverBounds.1.lever".into(),
                            FieldErrorCode::Duplicate
                        ),
                        (
                            "input.leverBounds.1.minSpend".into(),
                            FieldErrorCode::OutOfRange
                        ),
                        (
                            "input.leverBounds.1.maxSpend".into(),
                            FieldErrorCode::TooPrecise
                        ),
                    ]
                );
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
    }
}
