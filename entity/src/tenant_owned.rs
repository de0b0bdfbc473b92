//! The traits that mark a table as owned by a tenant; the API's store scopes every statement
//! through them.

use sea_orm::EntityTrait;

/// The columns of a table that the store fills in a new row when the caller left them unset:
/// a new UUID v7 for `id`, 1 for `version`, the time of the write for `created_at` and
/// `updated_at`. A value the caller set is kept: `copyPlan` chooses the copies' ids, a
/// measurement recorded again keeps its id and creation time.
#[derive(Debug, Clone, Copy)]
pub struct Stamps<C> {
    /// The `id` column.
    pub id: Option<C>,
    /// The `version` column.
    pub version: Option<C>,
    /// The `created_at` column.
    pub created_at: Option<C>,
    /// The `updated_at` column.
    pub updated_at: Option<C>,
}

impl<C> Stamps<C> {
    /// No column is stamped (a link table).
    pub const NONE: Self = Self {
        id: None,
        version: None,
        created_at: None,
        updated_at: None,
    };
}

/// A table whose rows belong to exactly one tenant (entities and link tables alike).
///
/// The store adds `tenant_id = ?` to every statement on such a table; nothing outside the store
/// queries one directly.
pub trait TenantOwned: EntityTrait {
    /// The `tenant_id` column.
    fn tenant_column() -> Self::Column;

    /// The columns the store stamps in a new row; none unless the table says so.
    fn stamps() -> Stamps<Self::Column> {
        Stamps::NONE
    }
}

/// A tenant-owned table whose rows have their own `id`.
pub trait Identified: TenantOwned {
    /// The `id` column (the row's identity within its tenant).
    fn id_column() -> Self::Column;
}

/// An identified table with an optimistic-concurrency `version` column.
pub trait Versioned: Identified {
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// The `updated_at` column.
    fn updated_at_column() -> Self::Column;
}

/// Implements [`TenantOwned`] for a table with a `TenantId` column, optionally naming the
/// columns the store stamps: `tenant_owned!(Entity, Column, stamps { updated_at: UpdatedAt })`.
#[macro_export]
macro_rules! tenant_owned {
    ($entity:ty, $column:ty $(, stamps { $($stamp:ident: $variant:ident),* $(,)? })?) => {
        impl $crate::TenantOwned for $entity {
            fn tenant_column() -> $column {
                <$column>::TenantId
            }
            $(
                fn stamps() -> $crate::tenant_owned::Stamps<$column> {
                    let mut stamps = $crate::tenant_owned::Stamps::NONE;
                    $(stamps.$stamp = Some(<$column>::$variant);)*
                    stamps
                }
            )?
        }
    };
}

/// Implements [`TenantOwned`] and [`Identified`] for a table with `TenantId` and `Id` columns;
/// by default the store stamps its `Id`, `CreatedAt` and `UpdatedAt` columns.
#[macro_export]
macro_rules! identified {
    ($entity:ty, $column:ty) => {
        $crate::identified!($entity, $column, stamps {
            id: Id,
            created_at: CreatedAt,
            updated_at: UpdatedAt
        });
    };
    ($entity:ty, $column:ty, stamps { $($stamps:tt)* }) => {
        $crate::tenant_owned!($entity, $column, stamps { $($stamps)* });
        impl $crate::Identified for $entity {
            fn id_column() -> $column {
                <$column>::Id
            }
        }
    };
}

/// Implements [`TenantOwned`], [`Identified`] and [`Versioned`] for a table with `TenantId`,
/// `Id`, `Version`, `CreatedAt` and `UpdatedAt` columns, all four stamped by the store.
#[macro_export]
macro_rules! versioned {
    ($entity:ty, $column:ty) => {
        $crate::identified!(
            $entity,
            $column,
            stamps {
                id: Id,
                version: Version,
                created_at: CreatedAt,
                updated_at: UpdatedAt
            }
        );
        impl $crate::Versioned for $entity {
            fn version_column() -> $column {
                <$column>::Version
            }
            fn updated_at_column() -> $column {
                <$column>::UpdatedAt
            }
        }
    };
}

/// A versioned table whose rows may carry an external reference: `external_source` and
/// `external_id`, both or neither, unique per tenant (index `ux_<table>_external_ref`).
pub trait ExternallyReferenced: Versioned {
    /// The `external_source` column.
    fn external_source_column() -> Self::Column;
    /// The `external_id` column.
    fn external_id_column() -> Self::Column;
    /// The reference of a row, `(source, id)`, if it has one.
    fn external_ref(model: &Self::Model) -> Option<(&str, &str)>;
}

/// Implements [`ExternallyReferenced`] for a table with `ExternalSource` and `ExternalId`
/// columns (its model's `external_source` and `external_id` fields).
#[macro_export]
macro_rules! externally_referenced {
    ($entity:ty, $column:ty, $model:ty) => {
        impl $crate::ExternallyReferenced for $entity {
            fn external_source_column() -> $column {
                <$column>::ExternalSource
            }
            fn external_id_column() -> $column {
                <$column>::ExternalId
            }
            fn external_ref(model: &$model) -> Option<(&str, &str)> {
                match (&model.external_source, &model.external_id) {
                    (Some(source), Some(id)) => Some((source.as_str(), id.as_str())),
                    _ => None,
                }
            }
        }
    };
}
