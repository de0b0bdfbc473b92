//! What an earlier seeding left in the tenant: the demo plans to replace, and the personas to
//! reuse rather than duplicate.

use entity::plan;
use uuid::Uuid;

use super::{SeedError, data::PLAN_NAME_PREFIX, refused};
use crate::{
    domain::{self, Session},
    store::{page::PageRequest, plan::PlanFilter},
};

/// The tenant's plans whose name starts with the demo prefix.
pub(super) async fn existing_demo_plans(session: &Session) -> Result<Vec<plan::Model>, SeedError> {
    let filter = PlanFilter {
        name_contains: Some(PLAN_NAME_PREFIX.to_owned()),
        ..PlanFilter::default()
    };
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest {
            after,
            before: None,
            limit: 100,
            from_end: false,
        };
        let (page, _) = domain::plan::list(session, &filter, &request)
            .await
            .map_err(refused("the list of plans"))?;
        after = page.items.last().map(|plan| plan.id);
        found.extend(
            page.items
                .into_iter()
                .filter(|plan| plan.name.starts_with(PLAN_NAME_PREFIX)),
        );
        if !page.has_next {
            return Ok(found);
        }
    }
}

/// The tenant's personas by name, so that seeding again reuses the demo personas.
pub(super) async fn personas_by_name(session: &Session) -> Result<Vec<(String, Uuid)>, SeedError> {
    let mut found = Vec::new();
    let mut after = None;
    loop {
        let request = PageRequest {
            after,
            before: None,
            limit: 100,
            from_end: false,
        };
        let (page, _) = domain::strategy::persona::list(session, None, &request)
            .await
            .map_err(refused("the list of personas"))?;
        after = page.items.last().map(|persona| persona.id);
        found.extend(page.items.into_iter().map(|p| (p.name, p.id)));
        if !page.has_next {
            return Ok(found);
        }
    }
}
