//! Models read by column position on the hot paths of nested reads (see
//! `campaign::Model::from_row_by_position`), checked against the derived decoding by name.

use std::fmt::Debug;

use sea_orm::{DbErr, FromQueryResult, QueryResult};

/// The model in `row` as `by_position` reads it. Debug builds, which every test runs, also read
/// it by name and fail loudly if the two differ, so a column added out of order cannot go
/// unnoticed.
pub fn checked<M>(
    row: &QueryResult,
    by_position: impl Fn(&QueryResult) -> Result<M, DbErr>,
) -> Result<M, DbErr>
where
    M: FromQueryResult + PartialEq + Debug,
{
    let model = by_position(row)?;
    if cfg!(debug_assertions) {
        let by_name = M::from_query_result(row, "")?;
        assert_eq!(
            model,
            by_name,
            "a {} read by position differs from its columns",
            std::any::type_name::<M>()
        );
    }
    Ok(model)
}
