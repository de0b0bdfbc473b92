//! [`Sql`]: a hand-written statement and its bound values, with the backend's placeholders;
//! and [`bucket_start`], a date's period bucket in each backend's SQL dialect.

use entity::enums::TimeGrain;
use sea_orm::{DbBackend, Statement, Value};

use crate::store::sum;

/// A statement being written: its text and its bound values, with the backend's placeholders.
pub(in crate::store) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(in crate::store) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// Appends fixed SQL (never a user's value).
    pub(in crate::store) fn push(&mut self, fragment: &str) -> &mut Self {
        self.text.push_str(fragment);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub(in crate::store) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let placeholder = format!("${}", self.values.len());
                self.text.push_str(&placeholder);
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends the two columns of the exact sum of the expression `expr` writes (see
    /// [`crate::store::sum`]): `CAST(SUM((e) >> 32) AS BIGINT), CAST(SUM((e) & 4294967295) AS
    /// BIGINT)`. `expr` is called once per half, so that its placeholders are bound twice.
    pub(in crate::store) fn push_split_sum(&mut self, expr: impl Fn(&mut Self)) -> &mut Self {
        self.push("CAST(SUM((");
        expr(self);
        self.push(") >> 32) AS BIGINT), CAST(SUM((");
        expr(self);
        self.push(&format!(") & {}) AS BIGINT)", sum::LOW_MASK))
    }

    /// Appends `(?, ?, …)` bound to `values`.
    pub(in crate::store) fn bind_list<V: Into<Value>>(
        &mut self,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Self {
        self.push("(");
        for (index, value) in values.into_iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(value);
        }
        self.push(")")
    }

    pub(in crate::store) fn statement(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text, self.values)
    }
}

/// The first day of the bucket of `column` (a date column) at `grain`, as `YYYY-MM-DD` text.
/// Weeks start on Monday (ISO).
pub(in crate::store) fn bucket_start(backend: DbBackend, grain: TimeGrain, column: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            let unit = match grain {
                TimeGrain::Day => return format!("to_char({column}, 'YYYY-MM-DD')"),
                TimeGrain::Week => "week",
                TimeGrain::Month => "month",
                TimeGrain::Quarter => "quarter",
                TimeGrain::Year => "year",
            };
            format!("to_char(date_trunc('{unit}', CAST({column} AS TIMESTAMP)), 'YYYY-MM-DD')")
        }
        _ => match grain {
            TimeGrain::Day => format!("date({column})"),
            // strftime('%w') is 0 on Sunday: step back (w + 6) % 7 days to the Monday.
            TimeGrain::Week => format!(
                "date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')"
            ),
            TimeGrain::Month => format!("strftime('%Y-%m-01', {column})"),
            TimeGrain::Quarter => format!(
                "printf('%s-%02d-01', strftime('%Y', {column}), \
                 ((CAST(strftime('%m', {column}) AS INTEGER) - 1) / 3) * 3 + 1)"
            ),
            TimeGrain::Year => format!("strftime('%Y-01-01', {column})"),
        },
    }
}
