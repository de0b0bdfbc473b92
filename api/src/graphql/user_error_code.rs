//! `UserErrorCode`: every code a mutation's `userErrors` can carry, as a GraphQL enum, so that
//! typed clients can switch over it exhaustively. It mirrors the domain's
//! [`FieldErrorCode`] one for one; the conversion is an exhaustive match, so a code added to the
//! domain does not compile until it is added here too.

use async_graphql::Enum;

use crate::domain::FieldErrorCode;

/// What is wrong with a field of a mutation's input, for a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum UserErrorCode {
    /// A required value is missing or empty.
    Required,
    /// A text is longer than allowed.
    TooLong,
    /// The value is malformed.
    Invalid,
    /// A number is outside its allowed range.
    OutOfRange,
    /// An end date comes before its start date.
    DateOrder,
    /// A date falls outside the plan's period.
    OutsidePlanPeriod,
    /// A referenced object does not exist for this tenant.
    NotFound,
    /// A decimal has more decimal places than allowed: six for amounts and measured values,
    /// twelve for exchange rates.
    TooPrecise,
    /// The value is already taken where it must be unique (a lever allocated twice in a plan).
    Duplicate,
    /// A status change that the lifecycle does not allow.
    InvalidTransition,
    /// A link that would make an object its own ancestor (a campaign its own parent).
    Cycle,
    /// The object is used elsewhere (a KPI by objectives, measurements or derived KPIs).
    InUse,
    /// The object belongs to the built-in catalogue, which no one may change or delete.
    BuiltIn,
    /// The plan is approved and the tenant refuses changes to the budgets of approved plans
    /// (`approvedBudgetChanges: REFUSE`); re-open its review first (`reopenPlanReview`).
    PlanApproved,
    /// No exchange rate converts an amount's currency into the tenant's reporting currency on
    /// its date or in the 7 days before; the message names the pair and the date.
    RateMissing,
}

impl From<FieldErrorCode> for UserErrorCode {
    fn from(code: FieldErrorCode) -> Self {
        match code {
            FieldErrorCode::Required => Self::Required,
            FieldErrorCode::TooLong => Self::TooLong,
            FieldErrorCode::Invalid => Self::Invalid,
            FieldErrorCode::OutOfRange => Self::OutOfRange,
            FieldErrorCode::DateOrder => Self::DateOrder,
            FieldErrorCode::OutsidePlanPeriod => Self::OutsidePlanPeriod,
            FieldErrorCode::NotFound => Self::NotFound,
            FieldErrorCode::TooPrecise => Self::TooPrecise,
            FieldErrorCode::Duplicate => Self::Duplicate,
            FieldErrorCode::InvalidTransition => Self::InvalidTransition,
            FieldErrorCode::Cycle => Self::Cycle,
            FieldErrorCode::InUse => Self::InUse,
            FieldErrorCode::BuiltIn => Self::BuiltIn,
            FieldErrorCode::PlanApproved => Self::PlanApproved,
            FieldErrorCode::RateMissing => Self::RateMissing,
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{Name, Value, resolver_utils::enum_value};

    use super::*;

    /// The GraphQL value of every code is the domain's spelling of it.
    #[test]
    fn every_domain_code_is_spelt_the_same_in_graphql() {
        for code in [
            FieldErrorCode::Required,
            FieldErrorCode::TooLong,
            FieldErrorCode::Invalid,
            FieldErrorCode::OutOfRange,
            FieldErrorCode::DateOrder,
            FieldErrorCode::OutsidePlanPeriod,
            FieldErrorCode::NotFound,
            FieldErrorCode::TooPrecise,
            FieldErrorCode::Duplicate,
            FieldErrorCode::InvalidTransition,
            FieldErrorCode::Cycle,
            FieldErrorCode::InUse,
            FieldErrorCode::BuiltIn,
            FieldErrorCode::PlanApproved,
            FieldErrorCode::RateMissing,
        ] {
            assert_eq!(
                enum_value(UserErrorCode::from(code)),
                Value::Enum(Name::new(code.as_str())),
                "{code:?}"
            );
        }
    }
}
