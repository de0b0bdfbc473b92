//! Imports: a whole plan from a spreadsheet template (CSV or XLSX), and measurements from the
//! CSV reports of the common ad platforms. Both check every row first and report every
//! problem with its sheet, row and column; then they write everything in one transaction, or
//! nothing. A dry run checks the same way and writes nothing.
//!
//! This module knows nothing of HTTP: it takes the file's bytes and its options, and returns
//! what was (or would be) written, or the problems. `table.rs` reads CSV and XLSX files into
//! rows of named cells, `cells.rs` reads a cell's value, `plan.rs` is the plan template,
//! `platform.rs` the ad platforms' column mappings and `measurement.rs` their import.

mod cells;
pub mod measurement;
pub mod plan;
pub mod platform;
pub mod table;

use serde::Serialize;

use crate::domain::{DomainError, FieldErrorCode};

/// One problem of an imported file, where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// The sheet of an XLSX workbook; `None` in a CSV file.
    pub sheet: Option<String>,
    /// The row's number as a spreadsheet shows it (the header is row 1 in a template); `None`
    /// for a problem of the whole file.
    pub row: Option<usize>,
    /// The column's name as the file's header spells it; `None` for a problem of a whole row.
    pub column: Option<String>,
    /// What is wrong, for a program: a `UserErrorCode` value (`REQUIRED`, `INVALID`, …).
    pub code: &'static str,
    /// What is wrong, for a person.
    pub message: String,
}

/// Where a value comes from in a file: the sheet (XLSX) and the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The sheet of an XLSX workbook; `None` in a CSV file.
    pub sheet: Option<String>,
    /// The row's number.
    pub row: usize,
}

/// The problems of one file, collected as the rows are read and checked.
#[derive(Debug, Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Records a problem of the cell `column` of the row at `place`.
    pub fn cell(
        &mut self,
        place: &Place,
        column: &str,
        code: FieldErrorCode,
        message: impl Into<String>,
    ) {
        self.0.push(Problem {
            sheet: place.sheet.clone(),
            row: Some(place.row),
            column: Some(column.to_owned()),
            code: code.as_str(),
            message: message.into(),
        });
    }

    /// Records a problem of the whole row at `place`.
    pub fn row(&mut self, place: &Place, code: FieldErrorCode, message: impl Into<String>) {
        self.0.push(Problem {
            sheet: place.sheet.clone(),
            row: Some(place.row),
            column: None,
            code: code.as_str(),
            message: message.into(),
        });
    }

    /// Records a problem of the whole file (or of a whole sheet, when `sheet` is given).
    pub fn file(&mut self, sheet: Option<&str>, code: FieldErrorCode, message: impl Into<String>) {
        self.0.push(Problem {
            sheet: sheet.map(str::to_owned),
            row: None,
            column: None,
            code: code.as_str(),
            message: message.into(),
        });
    }

    /// Takes the problems a domain check reported with [`crate::domain::validation::Violations`]
    /// whose paths are `[root, column, …]`, as problems of the row at `place`; `column_of`
    /// names the file's column for a path's field. Any other error is returned.
    pub fn absorb(
        &mut self,
        place: &Place,
        result: Result<(), DomainError>,
        column_of: impl Fn(&str) -> String,
    ) -> Result<(), DomainError> {
        match result {
            Ok(()) => Ok(()),
            Err(DomainError::Invalid(errors)) => {
                for error in errors {
                    let column = error.field.get(1).map(|field| column_of(field));
                    self.0.push(Problem {
                        sheet: place.sheet.clone(),
                        row: Some(place.row),
                        column,
                        code: error.code.as_str(),
                        message: error.message,
                    });
                }
                Ok(())
            }
            Err(other) => Err(other),
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order of the file (sheet, then row), each row's in the order found.
    pub fn into_sorted(self) -> Vec<Problem> {
        let mut list = self.0;
        list.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        list
    }
}

/// The format of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values, UTF-8 (a byte-order mark is allowed).
    Csv,
    /// An Office Open XML workbook (`.xlsx`).
    Xlsx,
}

impl FileFormat {
    /// The format of `bytes`: a workbook when they start as a ZIP archive does, else CSV.
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }
}
