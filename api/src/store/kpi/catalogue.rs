//! The KPI catalogue: built-in definitions, shared by every tenant (no tenant column), plus the
//! tenant's own definitions (tenant-owned, read through the scope). Both come back as
//! `kpi_definition::Model`, so that nothing downstream cares where a KPI was defined; the
//! `entries*` variants also say where each one comes from ([`CatalogueKpi`]), for the API and
//! for the rules that keep built-ins read-only.

use entity::{kpi_definition, tenant_kpi_definition};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::store::{Scoped, StoreResult};

/// Where a KPI definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiOrigin {
    /// The built-in catalogue, shared by every tenant and read-only.
    BuiltIn,
    /// The tenant's own definition, at this optimistic-concurrency version.
    Tenant {
        /// The row's version.
        version: i32,
    },
}

/// A definition of the catalogue with its origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueKpi {
    /// The definition, the same shape whatever its origin.
    pub definition: kpi_definition::Model,
    /// Built-in or the tenant's own.
    pub origin: KpiOrigin,
}

impl CatalogueKpi {
    /// True for a definition of the built-in catalogue.
    pub fn is_built_in(&self) -> bool {
        self.origin == KpiOrigin::BuiltIn
    }

    /// The version of a tenant's definition; `None` for a built-in one.
    pub fn version(&self) -> Option<i32> {
        match self.origin {
            KpiOrigin::BuiltIn => None,
            KpiOrigin::Tenant { version } => Some(version),
        }
    }
}

/// A row of the built-in table (a plain `From` would let a converted tenant row pass for one).
fn built_in(definition: kpi_definition::Model) -> CatalogueKpi {
    CatalogueKpi {
        definition,
        origin: KpiOrigin::BuiltIn,
    }
}

impl From<tenant_kpi_definition::Model> for CatalogueKpi {
    fn from(row: tenant_kpi_definition::Model) -> Self {
        let version = row.version;
        Self {
            definition: row.into(),
            origin: KpiOrigin::Tenant { version },
        }
    }
}

fn definitions(entries: Vec<CatalogueKpi>) -> Vec<kpi_definition::Model> {
    entries.into_iter().map(|entry| entry.definition).collect()
}

/// The built-in definitions matching `built_ins` and the tenant's matching `own`, with their
/// origin, sorted by key: two statements whatever the number of definitions.
async fn read<C: ConnectionTrait>(
    scope: &Scoped<C>,
    built_ins: Condition,
    own: Condition,
) -> StoreResult<Vec<CatalogueKpi>> {
    let mut entries: Vec<CatalogueKpi> = kpi_definition::Entity::find()
        .filter(built_ins)
        .all(scope.connection())
        .await?
        .into_iter()
        .map(built_in)
        .collect();
    entries.extend(
        scope
            .select::<tenant_kpi_definition::Entity>()
            .filter(own)
            .all(scope.connection())
            .await?
            .into_iter()
            .map(CatalogueKpi::from),
    );
    entries.sort_by(|a, b| a.definition.key.cmp(&b.definition.key));
    Ok(entries)
}

/// Every definition the tenant can use, with its origin, sorted by key.
pub async fn entries<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<Vec<CatalogueKpi>> {
    read(scope, Condition::all(), Condition::all()).await
}

/// The definitions with these keys, with their origin.
pub async fn entries_by_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[String],
) -> StoreResult<Vec<CatalogueKpi>> {
    // A key holding a NUL character matches no stored key (no column can hold one), and
    // PostgreSQL refuses to even bind it: it is left out of the statement.
    let keys: Vec<String> = keys
        .iter()
        .filter(|key| !key.contains('\0'))
        .cloned()
        .collect();
    read(
        scope,
        Condition::all().add(kpi_definition::Column::Key.is_in(keys.iter().cloned())),
        Condition::all().add(tenant_kpi_definition::Column::Key.is_in(keys.iter().cloned())),
    )
    .await
}

/// The definitions with these ids, with their origin.
pub async fn entries_by_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<Vec<CatalogueKpi>> {
    read(
        scope,
        Condition::all().add(kpi_definition::Column::Id.is_in(ids.iter().copied())),
        Condition::all().add(tenant_kpi_definition::Column::Id.is_in(ids.iter().copied())),
    )
    .await
}

/// Every definition the tenant can use, by key.
pub async fn all<C: ConnectionTrait>(scope: &Scoped<C>) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(definitions(entries(scope).await?))
}

/// The definitions with these keys.
pub async fn by_keys<C: ConnectionTrait>(
    scope: &Scoped<C>,
    keys: &[String],
) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(definitions(entries_by_keys(scope, keys).await?))
}

/// The definitions with these ids.
pub async fn by_ids<C: ConnectionTrait>(
    scope: &Scoped<C>,
    ids: &[Uuid],
) -> StoreResult<Vec<kpi_definition::Model>> {
    Ok(definitions(entries_by_ids(scope, ids).await?))
}
