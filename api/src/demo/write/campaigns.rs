//! The execution of the demo plan: campaigns (parents before their sub-campaigns), the actions
//! along the journey, and the content plan.

use uuid::Uuid;

use super::{Calendar, euros, personas};
use crate::{
    demo::{SeedError, SeedSummary, data, refused},
    domain::{
        self, Session, campaign::NewCampaign, campaign::action::NewAction,
        campaign::content::NewContentItem,
    },
};

/// The campaigns; their ids, in the table's order.
pub(super) async fn campaigns(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    persona_ids: &[Uuid],
    objective_ids: &[Uuid],
    summary: &mut SeedSummary,
) -> Result<Vec<Uuid>, SeedError> {
    let mut campaign_ids: Vec<Uuid> = Vec::new();
    for campaign in &data::CAMPAIGNS {
        let (created, _warnings) = domain::campaign::create(
            session,
            NewCampaign {
                plan_id,
                name: campaign.name.to_owned(),
                kind: campaign.kind,
                levers: campaign.levers.to_vec(),
                persona_ids: personas(persona_ids, campaign.personas),
                objective_ids: campaign
                    .objectives
                    .iter()
                    .filter_map(|index| objective_ids.get(*index).copied())
                    .collect(),
                start_date: calendar.day(campaign.start)?,
                end_date: calendar.day(campaign.end)?,
                budget: euros(campaign.budget_euros),
                status: Some(campaign.status),
                utm_code: Some(format!("{}-{}", campaign.utm_prefix, calendar.0)),
                parent_campaign_id: campaign
                    .parent
                    .and_then(|index| campaign_ids.get(index).copied()),
                external_ref: None,
            },
        )
        .await
        .map_err(refused(format!("campaign \"{}\"", campaign.name)))?;
        campaign_ids.push(created.id);
        summary.campaigns += 1;
    }
    Ok(campaign_ids)
}

/// The actions along the journey; their ids, in journey order.
pub(super) async fn actions(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    campaign_ids: &[Uuid],
    summary: &mut SeedSummary,
) -> Result<Vec<Uuid>, SeedError> {
    let mut action_ids = Vec::new();
    for action in data::actions() {
        let created = domain::campaign::action::create(
            session,
            NewAction {
                plan_id,
                campaign_id: action
                    .campaign
                    .and_then(|index| campaign_ids.get(index).copied()),
                title: action.title.to_owned(),
                description: Some(action.description.to_owned()),
                action_type: action.action_type,
                lever: action.lever,
                journey_step: action.step,
                funnel_stage: action.stage,
                start_date: calendar.day(action.start)?,
                due_date: calendar.day(action.due)?,
                owner: Some(action.owner.to_owned()),
                status: Some(action.status),
                budget: euros(action.budget_euros),
                actual_cost: Some(euros(action.actual_cost_euros)),
                impact: action.ice.0,
                confidence: action.ice.1,
                ease: action.ice.2,
                external_ref: None,
            },
        )
        .await
        .map_err(refused(format!("action \"{}\"", action.title)))?;
        action_ids.push(created.id);
        summary.actions += 1;
    }
    Ok(action_ids)
}

/// The content plan (items whose persona is missing are skipped).
pub(super) async fn content(
    session: &Session,
    calendar: &Calendar,
    plan_id: Uuid,
    persona_ids: &[Uuid],
    action_ids: &[Uuid],
    summary: &mut SeedSummary,
) -> Result<(), SeedError> {
    for item in &data::CONTENT {
        let Some(persona_id) = persona_ids.get(item.persona).copied() else {
            continue;
        };
        domain::campaign::content::create(
            session,
            NewContentItem {
                plan_id,
                persona_id,
                lever: item.lever,
                funnel_stage: item.stage,
                message: item.message.to_owned(),
                format: item.format.to_owned(),
                call_to_action: Some(item.call_to_action.to_owned()),
                publish_date: calendar.day(item.publish)?,
                status: Some(item.status),
                action_id: item.action.and_then(|index| action_ids.get(index).copied()),
                external_ref: None,
            },
        )
        .await
        .map_err(refused(format!("content \"{}\"", item.message)))?;
        summary.content_items += 1;
    }
    Ok(())
}
