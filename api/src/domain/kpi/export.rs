//! Exporting a tenant's raw measurements: the filter is checked once, then the rows come in
//! pages ordered by date and id, so that an export of any size runs in constant memory.

use entity::{enums::KpiAggregation, measurement};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::domain::{DomainError, DomainResult, FieldError, FieldErrorCode, Session};
use crate::{
    auth::Permission,
    store::{
        self, Scoped,
        kpi::export::{MeasurementFilter, PageEnd},
    },
};

/// Rows read per page: large enough to keep the statements few, small enough to keep memory
/// flat.
pub const PAGE_ROWS: u64 = 1000;

/// Problems with KPI keys that measurements are asked for, with the field `path` and each key's
/// index: a key the catalogue does not know (`NOT_FOUND`), and a derived ratio (`INVALID`),
/// which has no measurements of its own.
pub async fn measured_kpi_problems<C: ConnectionTrait>(
    scope: &Scoped<C>,
    path: &[&str],
    keys: &[String],
) -> DomainResult<Vec<FieldError>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let definitions = store::kpi::catalogue::by_keys(scope, keys).await?;
    let mut problems = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        let field = path
            .iter()
            .map(|part| (*part).to_owned())
            .chain(std::iter::once(index.to_string()))
            .collect();
        match definitions.iter().find(|definition| &definition.key == key) {
            // A key no column can hold is malformed rather than unknown.
            None => problems.push(match crate::domain::validation::unstorable(key) {
                Some(problem) => FieldError {
                    field,
                    message: problem.to_owned(),
                    code: FieldErrorCode::Invalid,
                },
                None => FieldError {
                    field,
                    message: format!("no KPI has the key `{key}`"),
                    code: FieldErrorCode::NotFound,
                },
            }),
            Some(definition) if definition.aggregation == KpiAggregation::Ratio => {
                problems.push(FieldError {
                    field,
                    message: format!(
                        "`{key}` is a derived KPI, computed from other KPIs: only base KPIs have measurements"
                    ),
                    code: FieldErrorCode::Invalid,
                })
            }
            Some(_) => {}
        }
    }
    Ok(problems)
}

/// The pages of an export, read one at a time.
pub struct MeasurementPages {
    scope: Scoped<DatabaseConnection>,
    filter: MeasurementFilter,
    after: Option<PageEnd>,
    done: bool,
}

impl MeasurementPages {
    /// The next page of at most [`PAGE_ROWS`] rows, or `None` after the last one.
    pub async fn next_page(&mut self) -> DomainResult<Option<Vec<measurement::Model>>> {
        if self.done {
            return Ok(None);
        }
        let rows =
            store::kpi::export::page(&self.scope, &self.filter, self.after, PAGE_ROWS).await?;
        // A short page is the last: this saves a query that would come back empty.
        if (rows.len() as u64) < PAGE_ROWS {
            self.done = true;
        }
        match rows.last() {
            Some(last) => {
                self.after = Some((last.date, last.id));
                Ok(Some(rows))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

/// Checks the filter (KPI keys of base KPIs, `from` not after `to`) and opens the export of the
/// caller's measurements it selects. Each page is a query of its own: rows written during a
/// long export appear in it if they sort after the pages already sent.
pub async fn export(
    session: &Session,
    filter: MeasurementFilter,
) -> DomainResult<MeasurementPages> {
    let scope = session.scope(Permission::ReadKpis)?;
    crate::domain::validation::filter_texts("kpis", &[], &filter.kpi_keys)?;
    if let Some(source) = &filter.source {
        crate::domain::validation::filter_text("source", &[], source)?;
    }
    let mut problems = measured_kpi_problems(&scope, &["kpis"], &filter.kpi_keys).await?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        problems.push(FieldError {
            field: vec!["to".to_owned()],
            message: "`to` comes before `from`".to_owned(),
            code: FieldErrorCode::DateOrder,
        });
    }
    if !problems.is_empty() {
        return Err(DomainError::Invalid(problems));
    }
    Ok(MeasurementPages {
        scope,
        filter,
        after: None,
        done: false,
    })
}
