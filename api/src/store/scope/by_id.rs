//! The statement of [`Scoped::find`](super::Scoped::find), built once per table and database
//! rather than on every call.
//!
//! Why: reading one row by id is the whole database work of a light read (`plan(id:)`,
//! `node(id:)`), and building its `SELECT` with SeaORM and sea-query (the entity's columns as
//! expressions, the conditions, the text) took 8 % of such a request's instructions. The
//! statement's text depends only on the table and the database; the tenant and the id are its
//! only values. So the first call for a table builds the statement with two marker values
//! (with the scope's own function, `find_in_tenant`), finds where they are bound, and keeps
//! the text; every later call binds its own tenant and id there. Debug builds, which every
//! test runs on both databases, also build the statement anew on every call and fail if the
//! two differ.

use std::{
    any::TypeId,
    collections::HashMap,
    sync::{Arc, LazyLock, PoisonError, RwLock},
};

use entity::Identified;
use sea_orm::{DbBackend, Statement, Value, Values};
use uuid::Uuid;

/// The tenant bound while a template is built.
const TENANT_MARKER: Uuid = Uuid::from_u128(0x5c09_ed00_0000_4000_8000_0000_0000_0001);
/// The id bound while a template is built.
const ID_MARKER: Uuid = Uuid::from_u128(0x5c09_ed00_0000_4000_8000_0000_0000_0002);

/// What builds the statement of a row by id: `(database, tenant, id)`.
pub(super) type Build = fn(DbBackend, Uuid, Uuid) -> Statement;

/// A statement with the positions of its tenant and id among its values.
#[derive(Debug)]
struct Template {
    sql: String,
    values: Vec<Value>,
    tenant_at: usize,
    id_at: usize,
}

/// Templates by table, one map per database kind.
type Templates = RwLock<HashMap<TypeId, Arc<Template>>>;

static POSTGRES: LazyLock<Templates> = LazyLock::new(Templates::default);
static SQLITE: LazyLock<Templates> = LazyLock::new(Templates::default);

/// The statement `build` makes for `E`'s row `id` in tenant `tenant_id`, from the table's
/// template when it has one.
pub(super) fn statement<E: Identified>(
    backend: DbBackend,
    tenant_id: Uuid,
    id: Uuid,
    build: Build,
) -> Statement {
    let Some(template) = template::<E>(backend, build) else {
        return build(backend, tenant_id, id);
    };
    let mut values = template.values.clone();
    values[template.tenant_at] = tenant_id.into();
    values[template.id_at] = id.into();
    let statement = Statement {
        sql: template.sql.clone(),
        values: Some(Values(values)),
        db_backend: backend,
    };
    if cfg!(debug_assertions) {
        let fresh = build(backend, tenant_id, id);
        assert_eq!(
            (&statement.sql, &statement.values),
            (&fresh.sql, &fresh.values),
            "the kept statement of {} differs from a new one",
            std::any::type_name::<E>()
        );
    }
    statement
}

/// The template of `E` on `backend`, built with `build` on first use; `None` for another
/// database, or a statement whose markers are not each bound exactly once (it is then built
/// every time).
fn template<E: Identified>(backend: DbBackend, build: Build) -> Option<Arc<Template>> {
    let templates: &Templates = match backend {
        DbBackend::Postgres => &POSTGRES,
        DbBackend::Sqlite => &SQLITE,
        _ => return None,
    };
    let key = TypeId::of::<E>();
    if let Some(template) = templates
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Some(template.clone());
    }
    let template = Arc::new(new_template(build(backend, TENANT_MARKER, ID_MARKER))?);
    templates
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, template.clone());
    Some(template)
}

/// A template of `statement`, built with the markers.
fn new_template(statement: Statement) -> Option<Template> {
    let values = statement.values?.0;
    let only = |marker: Uuid| {
        let marker = Value::from(marker);
        let mut at = values.iter().enumerate().filter(|(_, v)| **v == marker);
        match (at.next(), at.next()) {
            (Some((index, _)), None) => Some(index),
            _ => None,
        }
    };
    Some(Template {
        tenant_at: only(TENANT_MARKER)?,
        id_at: only(ID_MARKER)?,
        sql: statement.sql,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_statement_binds_the_tenant_and_the_id_where_a_new_one_does() {
        use super::super::find_in_tenant;
        type Plans = entity::plan::Entity;
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            // Twice each: the first call builds the template, the next ones use it.
            for _ in 0..2 {
                let (tenant, id) = (Uuid::now_v7(), Uuid::now_v7());
                let kept = statement::<Plans>(backend, tenant, id, find_in_tenant::<Plans>);
                let fresh = find_in_tenant::<Plans>(backend, tenant, id);
                assert_eq!(kept.sql, fresh.sql);
                assert_eq!(kept.values, fresh.values);
                assert!(kept.sql.contains("tenant_id"), "{}", kept.sql);
                let values = kept.values.map(|values| values.0).unwrap_or_default();
                assert!(values.contains(&Value::from(tenant)));
                assert!(values.contains(&Value::from(id)));
            }
            assert!(template::<Plans>(backend, find_in_tenant::<Plans>).is_some());
        }
    }

    #[test]
    fn a_statement_binding_a_marker_twice_gets_no_template() {
        let twice = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 WHERE $1 = $2 AND $3 = $3",
            [TENANT_MARKER.into(), ID_MARKER.into(), ID_MARKER.into()],
        );
        assert!(new_template(twice).is_none());
        let once = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT 1 WHERE $1 = $2",
            [ID_MARKER.into(), TENANT_MARKER.into()],
        );
        let template = new_template(once);
        assert_eq!(
            template.map(|template| (template.tenant_at, template.id_at)),
            Some((1, 0))
        );
    }
}
