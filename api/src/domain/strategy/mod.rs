//! Rules shared by the strategy layer of a plan (market analysis, SWOT, PEST, brand, marketing
//! mix, segments): required statements, 1–5 scores, lists of short texts.

pub mod brand;
pub mod competitor;
mod crud;
pub mod market;
pub mod mix;
pub mod persona;
pub mod pest;
pub mod segment;
pub mod swot;

use crate::domain::{FieldErrorCode, validation::Violations};

/// Longest statement accepted (a trend, a SWOT item, a PEST factor).
pub const MAX_STATEMENT_CHARS: usize = 1_000;

/// Lowest score (impact, likelihood).
pub const MIN_SCORE: i32 = 1;

/// Highest score (impact, likelihood).
pub const MAX_SCORE: i32 = 5;

/// Checks a required statement: trimmed, non-empty, at most 1000 characters. Returns it trimmed.
pub fn statement(violations: &mut Violations, path: &str, value: &str) -> String {
    violations.required_text(&[path], value, MAX_STATEMENT_CHARS)
}

/// Checks a score (impact, likelihood) between 1 and 5.
pub fn score(violations: &mut Violations, path: &str, value: i32) -> i32 {
    if !(MIN_SCORE..=MAX_SCORE).contains(&value) {
        violations.add(
            &[path],
            FieldErrorCode::OutOfRange,
            format!("must be between {MIN_SCORE} and {MAX_SCORE}"),
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DomainError;

    #[test]
    fn scores_outside_one_to_five_are_out_of_range() {
        let mut violations = Violations::new();
        for (path, value) in [("a", 0), ("b", 1), ("c", 5), ("d", 6), ("e", -3)] {
            score(&mut violations, path, value);
        }
        match violations.finish() {
            Err(DomainError::Invalid(errors)) => {
                let paths: Vec<String> = errors.iter().map(|e| e.field.join(".")).collect();
                assert_eq!(paths, ["input.a", "input.d", "input.e"]);
                assert!(errors.iter().all(|e| e.code == FieldErrorCode::OutOfRange));
            }
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn statements_are_trimmed_and_bounded() {
        let mut violations = Violations::new();
        assert_eq!(
            statement(&mut violations, "s", "  Mobile first  "),
            "Mobile first"
        );
        assert!(violations.finish().is_ok());
        let mut violations = Violations::new();
        statement(&mut violations, "s", &"x".repeat(MAX_STATEMENT_CHARS + 1));
        statement(&mut violations, "t", " ");
        assert!(violations.has(&["s"]) && violations.has(&["t"]));
    }
}
