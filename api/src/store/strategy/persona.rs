//! Queries on personas.

use std::{collections::HashMap, sync::Arc};

use entity::persona;
use sea_orm::{ConnectionTrait, DbErr, QueryResult};
use uuid::Uuid;

use crate::store::{
    Scoped, StoreResult,
    page::{self, Page, PageRequest},
    positional,
};

/// One page of the tenant's personas.
pub async fn list<C: ConnectionTrait>(
    scope: &Scoped<C>,
    external_ref: Option<&(String, String)>,
    request: &PageRequest,
) -> StoreResult<Page<persona::Model>> {
    page::fetch(scope, filtered(scope, external_ref), request).await
}

/// The tenant's personas, only the one with the reference `(source, id)` when given.
fn filtered<C: ConnectionTrait>(
    scope: &Scoped<C>,
    external_ref: Option<&(String, String)>,
) -> sea_orm::Select<persona::Entity> {
    let select = scope.select::<persona::Entity>();
    match external_ref {
        Some((source, id)) => crate::store::external_ref::filter(select, source, id),
        None => select,
    }
}

/// How many personas the tenant has.
pub async fn count<C: ConnectionTrait>(
    scope: &Scoped<C>,
    external_ref: Option<&(String, String)>,
) -> StoreResult<u64> {
    page::count(scope, filtered(scope, external_ref)).await
}

/// The ids among `ids` that are not personas of this tenant.
pub async fn missing<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<Vec<Uuid>> {
    let found: Vec<Uuid> = scope
        .find_many::<persona::Entity>(ids)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect())
}

/// A persona read by position (see `persona::Model::from_row_by_position`), checked in debug
/// builds.
fn persona_by_position(row: &QueryResult) -> Result<persona::Model, DbErr> {
    positional::checked(row, persona::Model::from_row_by_position)
}

/// Groups personas by owner from `(owner, persona)` link pairs, reading the personas in one
/// statement. Owners keep the order of their links; every owner in `owners` gets an entry.
pub(in crate::store) async fn group_linked<C: ConnectionTrait>(
    scope: &Scoped<C>,
    owners: &[Uuid],
    links: &[(Uuid, Uuid)],
) -> StoreResult<HashMap<Uuid, Vec<Arc<persona::Model>>>> {
    let mut persona_ids: Vec<Uuid> = links.iter().map(|(_, persona)| *persona).collect();
    persona_ids.sort_unstable();
    persona_ids.dedup();
    // Shared: a persona linked to many owners is read and built once, not copied for each.
    let personas: HashMap<Uuid, Arc<persona::Model>> = scope
        .find_many_decoded::<persona::Entity>(&persona_ids, persona_by_position)
        .await?
        .into_iter()
        .map(|persona| (persona.id, Arc::new(persona)))
        .collect();
    let mut grouped: HashMap<Uuid, Vec<Arc<persona::Model>>> =
        owners.iter().map(|owner| (*owner, Vec::new())).collect();
    for (owner, persona_id) in links {
        if let Some(persona) = personas.get(persona_id) {
            grouped.entry(*owner).or_default().push(Arc::clone(persona));
        }
    }
    for personas in grouped.values_mut() {
        personas.sort_by_key(|persona| persona.id);
    }
    Ok(grouped)
}
