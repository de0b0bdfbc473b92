//! Exact sums of 64-bit integer columns (amounts in micros) beyond 64 bits, on both databases.
//!
//! One value fits 64 bits (±9.2 trillion units in micros), but three of them may not: SQLite's
//! `SUM` then fails ("integer overflow") and PostgreSQL's `SUM(bigint)`, a `NUMERIC`, no longer
//! casts back to `BIGINT`. So each value is split into its high 32 bits (an arithmetic shift,
//! signed) and its low 32 bits (unsigned), `v = (v >> 32) · 2^32 + (v & 0xFFFFFFFF)`, the two
//! halves are summed separately by the database — each sum fits 64 bits for up to 2^31 rows —
//! and recombined here as an `i128`. The same SQL on both backends, no float anywhere.

use sea_orm::{
    QueryResult,
    sea_query::{Alias, BinOper, Expr, ExprTrait, Func},
};

use super::StoreResult;

/// The low 32 bits of a 64-bit integer.
pub(super) const LOW_MASK: i64 = 0xFFFF_FFFF;

/// The two sums of [`split_sum_sql`] as query-builder expressions: the high halves and the
/// low halves of `expr`.
pub(super) fn split_sum_exprs(expr: Expr) -> (Expr, Expr) {
    let bigint = || Alias::new("BIGINT");
    let high = Func::cast_as(Func::sum(expr.clone().right_shift(32)), bigint());
    let low = Func::cast_as(
        Func::sum(expr.binary(BinOper::BitAnd, Expr::val(LOW_MASK))),
        bigint(),
    );
    (high.into(), low.into())
}

/// Recombines the two halves of a split sum; `None` when the database summed no value (SQL's
/// `SUM` of no row, or of NULLs only, is NULL).
pub fn combine(high: Option<i64>, low: Option<i64>) -> Option<i128> {
    match (high, low) {
        (None, None) => None,
        (high, low) => {
            Some(i128::from(high.unwrap_or(0)) * (1_i128 << 32) + i128::from(low.unwrap_or(0)))
        }
    }
}

/// Reads the split sum whose high half is at column `index` of `row` (the low half follows).
pub(super) fn read(row: &QueryResult, index: usize) -> StoreResult<Option<i128>> {
    Ok(combine(
        row.try_get_by_index(index)?,
        row.try_get_by_index(index + 1)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits as the SQL does: arithmetic shift and mask.
    fn split(value: i64) -> (i64, i64) {
        (value >> 32, value & LOW_MASK)
    }

    #[test]
    fn halves_recombine_to_the_exact_sum() {
        let values = [
            i64::MAX,
            i64::MAX,
            i64::MIN,
            -1,
            1,
            9_000_000_000_000_000_000,
        ];
        let (high, low) = values
            .iter()
            .map(|value| split(*value))
            .fold((0_i64, 0_i64), |(h, l), (vh, vl)| (h + vh, l + vl));
        let exact: i128 = values.iter().map(|value| i128::from(*value)).sum();
        assert_eq!(combine(Some(high), Some(low)), Some(exact));
        assert_eq!(combine(None, None), None);
        for value in values {
            let (high, low) = split(value);
            assert_eq!(combine(Some(high), Some(low)), Some(i128::from(value)));
        }
    }
}
