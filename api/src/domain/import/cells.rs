//! Reading the typed value of a template row's cell, with a problem recorded at the cell when
//! it is missing or malformed.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::ActiveEnum;

use super::{Place, Problems};
use crate::domain::{FieldErrorCode, validation};

/// A column name as the template matches it: lower case, letters and digits only, so that
/// `periodStart`, `Period start` and `period_start` are the same column.
pub fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// One row of a template sheet: its place and its cells by column.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where the row is.
    pub place: Place,
    /// `(template column, the header's spelling, value)` for each non-empty cell of a known
    /// column.
    pub cells: Vec<(&'static str, String, String)>,
}

impl Record {
    /// The cell of `column`, when not empty.
    pub fn text(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(name, _, _)| *name == column)
            .map(|(_, _, value)| value.as_str())
    }

    /// The header's spelling of `column` (the template's name when the row has no such cell).
    pub fn header(&self, column: &str) -> String {
        self.cells
            .iter()
            .find(|(name, _, _)| *name == column)
            .map_or_else(|| column.to_owned(), |(_, header, _)| header.clone())
    }

    /// The cell of `column`; a `REQUIRED` problem when it is empty.
    pub fn required<'a>(&'a self, problems: &mut Problems, column: &str) -> Option<&'a str> {
        let value = self.text(column);
        if value.is_none() {
            problems.cell(
                &self.place,
                &self.header(column),
                FieldErrorCode::Required,
                "must not be empty",
            );
        }
        value
    }

    /// A decimal number (a dot for the decimal separator, no thousands separator).
    pub fn decimal(
        &self,
        problems: &mut Problems,
        column: &str,
        required: bool,
    ) -> Option<Decimal> {
        let text = self.get(problems, column, required)?;
        let parsed = Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .ok();
        if parsed.is_none() {
            problems.cell(
                &self.place,
                &self.header(column),
                FieldErrorCode::Invalid,
                format!("{text:?} is not a number (write 1250.50: a dot, no thousands separator)"),
            );
        }
        parsed
    }

    /// A whole number.
    pub fn integer(&self, problems: &mut Problems, column: &str, required: bool) -> Option<i32> {
        let text = self.get(problems, column, required)?;
        let parsed = i32::from_str(text).ok();
        if parsed.is_none() {
            problems.cell(
                &self.place,
                &self.header(column),
                FieldErrorCode::Invalid,
                format!("{text:?} is not a whole number"),
            );
        }
        parsed
    }

    /// An ISO date (`2027-03-01`), within the dates the server stores.
    pub fn date(&self, problems: &mut Problems, column: &str, required: bool) -> Option<NaiveDate> {
        let text = self.get(problems, column, required)?;
        let parsed =
            validation::parse_date(text).filter(|date| validation::is_supported_date(*date));
        if parsed.is_none() {
            problems.cell(
                &self.place,
                &self.header(column),
                FieldErrorCode::Invalid,
                format!(
                    "{text:?} is not a date written as 2027-03-01 between {} and {}",
                    validation::FIRST_DATE,
                    validation::LAST_DATE
                ),
            );
        }
        parsed
    }

    /// A value of an enumeration, as the API spells it (`SOCIAL_ADS`); case, spaces and
    /// hyphens do not matter (`Social ads`).
    pub fn enumerated<E: ActiveEnum<Value = String>>(
        &self,
        problems: &mut Problems,
        column: &str,
        required: bool,
    ) -> Option<E> {
        let text = self.get(problems, column, required)?;
        let parsed = enum_value::<E>(text);
        if parsed.is_none() {
            problems.cell(
                &self.place,
                &self.header(column),
                FieldErrorCode::Invalid,
                format!("{text:?} is not one of {}", choices::<E>()),
            );
        }
        parsed
    }

    /// A list of enumeration values separated by `;` or `,`.
    pub fn enumerated_list<E: ActiveEnum<Value = String>>(
        &self,
        problems: &mut Problems,
        column: &str,
    ) -> Vec<E> {
        let Some(text) = self.text(column) else {
            return Vec::new();
        };
        let mut values = Vec::new();
        for item in text
            .split([';', ','])
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            match enum_value::<E>(item) {
                Some(value) => values.push(value),
                None => problems.cell(
                    &self.place,
                    &self.header(column),
                    FieldErrorCode::Invalid,
                    format!("{item:?} is not one of {}", choices::<E>()),
                ),
            }
        }
        values
    }

    fn get<'a>(&'a self, problems: &mut Problems, column: &str, required: bool) -> Option<&'a str> {
        if required {
            self.required(problems, column)
        } else {
            self.text(column)
        }
    }
}

/// The value of `E` spelled `text`, ignoring case, spaces and hyphens.
pub fn enum_value<E: ActiveEnum<Value = String>>(text: &str) -> Option<E> {
    let spelled: String = text
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    E::try_from_value(&spelled).ok()
}

/// The values of `E`, for a message.
fn choices<E: ActiveEnum<Value = String>>() -> String {
    E::iter()
        .map(|value| value.to_value())
        .collect::<Vec<_>>()
        .join(", ")
}
