//! `CalendarGroup` and `CalendarGrouping`: the calendar of a plan, its actions grouped by
//! month, campaign or action type with their sums.

use async_graphql::{Enum, Object, Result};
use entity::action_enums::ActionType;

use crate::graphql::types::{Action, Campaign};
use crate::{
    domain::plan::calendar::{
        CalendarGroup as DomainGroup, CalendarGrouping as DomainGrouping, CalendarKey,
    },
    graphql::scalars::{Date, Decimal},
    store::plan::calendar::ActionGrouping,
};

/// How the calendar of a plan groups its actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum CalendarGrouping {
    /// One group per month of the plan's period, in order, empty months included; an action
    /// belongs to the month of its start date.
    Month,
    /// One group per campaign by start date (then ID), then a last group, always present, for
    /// the actions without a campaign.
    Campaign,
    /// One group per action type that has actions, in the order of `ActionType`.
    ActionType,
}

impl CalendarGrouping {
    /// The domain's grouping.
    pub fn domain(self) -> DomainGrouping {
        match self {
            Self::Month => DomainGrouping::Month,
            Self::Campaign => DomainGrouping::Campaign,
            Self::ActionType => DomainGrouping::ActionType,
        }
    }

    /// The grouping the database sums by.
    pub fn sums(self) -> ActionGrouping {
        match self {
            Self::Month => ActionGrouping::Month,
            Self::Campaign => ActionGrouping::Campaign,
            Self::ActionType => ActionGrouping::ActionType,
        }
    }
}

/// One group of a plan's calendar: what it stands for (a month, a campaign or an action type),
/// its actions, the campaigns that matter to it, and the planned budget and actual cost of its
/// actions in the plan's currency. Cancelled actions are listed, and their actual cost counts,
/// but their planned budget does not.
#[derive(Debug, Clone)]
pub struct CalendarGroup {
    /// The group.
    pub group: DomainGroup,
    /// The plan's currency, which its sums are in.
    pub currency: String,
}

/// One group of a plan's calendar: what it stands for (a month, a campaign or an action type),
/// its actions, the campaigns that matter to it, and the planned budget and actual cost of its
/// actions in the plan's currency. Cancelled actions are listed, and their actual cost counts,
/// but their planned budget does not.
#[Object]
impl CalendarGroup {
    /// The month's first day, when grouped by MONTH; null otherwise.
    async fn month(&self) -> Option<Date> {
        match self.group.key {
            CalendarKey::Month(month) => Some(Date(month)),
            _ => None,
        }
    }

    /// The campaign, when grouped by CAMPAIGN; null otherwise, and for the last group of the
    /// CAMPAIGN grouping (the actions without a campaign).
    async fn campaign(&self) -> Option<Campaign> {
        match &self.group.key {
            CalendarKey::Campaign(campaign) => {
                campaign.clone().map(|campaign| Campaign::from(*campaign))
            }
            _ => None,
        }
    }

    /// The action type, when grouped by ACTION_TYPE; null otherwise.
    async fn action_type(&self) -> Option<ActionType> {
        match self.group.key {
            CalendarKey::ActionType(kind) => Some(kind),
            _ => None,
        }
    }

    /// The group's actions (cancelled ones included), by due date then ID. Each action of the
    /// plan appears in exactly one group; by MONTH, in the month of its start date.
    async fn actions(&self) -> Vec<Action> {
        self.group.actions.iter().cloned().map(Action).collect()
    }

    /// The campaigns that matter to the group, by start date then ID: by MONTH, the campaigns
    /// whose dates overlap the month (whether or not they have actions in it); by CAMPAIGN, the
    /// campaign itself (none for the group without a campaign); by ACTION_TYPE, the campaigns
    /// of the group's actions.
    async fn campaigns(&self) -> Vec<Campaign> {
        self.group
            .campaigns
            .iter()
            .cloned()
            .map(Campaign::from)
            .collect()
    }

    /// Sum of the planned budgets of the group's actions, cancelled actions excluded, in the
    /// plan's currency (summed exactly by the database).
    async fn planned(&self) -> Result<Decimal> {
        Ok(Decimal::amount(self.group.planned_micros, &self.currency)?)
    }

    /// Sum of the actual costs of the group's actions, cancelled actions included (what was
    /// spent stays spent), in the plan's currency (summed exactly by the database).
    async fn actual(&self) -> Result<Decimal> {
        Ok(Decimal::amount(self.group.actual_micros, &self.currency)?)
    }
}
