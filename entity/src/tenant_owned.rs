//! The traits that mark a table as owned by a tenant; the API's store scopes every statement
//! through them.

use sea_orm::EntityTrait;

/// A table whose rows belong to exactly one tenant (entities and link tables alike).
///
/// The store adds `tenant_id = ?` to every statement on such a table; nothing outside the store
/// queries one directly.
pub trait TenantOwned: EntityTrait {
    /// The `tenant_id` column.
    fn tenant_column() -> Self::Column;
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

/// Implements [`TenantOwned`] for a table with a `TenantId` column.
#[macro_export]
macro_rules! tenant_owned {
    ($entity:ty, $column:ty) => {
        impl $crate::TenantOwned for $entity {
            fn tenant_column() -> $column {
                <$column>::TenantId
            }
        }
    };
}

/// Implements [`TenantOwned`], [`Identified`] and [`Versioned`] for a table with `TenantId`,
/// `Id`, `Version` and `UpdatedAt` columns.
#[macro_export]
macro_rules! versioned {
    ($entity:ty, $column:ty) => {
        $crate::tenant_owned!($entity, $column);
        impl $crate::Identified for $entity {
            fn id_column() -> $column {
                <$column>::Id
            }
        }
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
