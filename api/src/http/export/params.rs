//! The query strings of the CSV exports, read by one parser with one rule for both endpoints:
//!
//! - a parameter the endpoint does not take is refused with 400 `BAD_USER_INPUT` naming it, so
//!   that a misspelt filter (`lever=SEO`) never silently exports everything;
//! - a list (`kpis`, `groupBy`, `campaignIds`, `levers`, `personaIds`) is comma-separated,
//!   repeated, or both; any other parameter given more than once is refused;
//! - values are trimmed, blank list items dropped, and a blank single value is as if absent;
//!   enum values (`grain`, `groupBy`, `levers`) are read in any case.
//!
//! What a value means past its syntax (an ID of another type, a derived KPI) is the endpoint's
//! and the domain's to say.

use actix_web::web;
use chrono::NaiveDate;
use entity::enums::{Lever, TimeGrain};
use sea_orm::ActiveEnum;

use crate::{
    domain::{kpi::series::Dimension, validation},
    error::ApiError,
};

/// The parameters of one request, every one of them known to its endpoint.
#[derive(Debug)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `query` (URL-encoded), refusing a parameter that is not in `known`.
    pub fn parse(query: &str, known: &[&str]) -> Result<Self, ApiError> {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map_err(|error| ApiError::bad_input(format!("malformed query string: {error}")))?
            .into_inner();
        if let Some((unknown, _)) = pairs
            .iter()
            .find(|(name, _)| !known.contains(&name.as_str()))
        {
            return Err(ApiError::bad_input(format!(
                "unknown parameter `{unknown}`; use {}",
                known.join(", ")
            )));
        }
        Ok(Self { pairs })
    }

    /// Every value given for `name`, trimmed.
    fn values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.pairs
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.trim())
    }

    /// The items of the list `name`: comma-separated, repeated or both, blanks dropped.
    pub fn list(&self, name: &str) -> Vec<&str> {
        self.values(name)
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect()
    }

    /// The value of `name`, a parameter taken once: `None` when absent or blank.
    pub fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.values(name);
        match (values.next(), values.next()) {
            (_, Some(_)) => Err(ApiError::bad_input(format!(
                "`{name}` is given more than once"
            ))),
            (value, None) => Ok(value.filter(|value| !value.is_empty())),
        }
    }

    /// The date `name` (`YYYY-MM-DD`).
    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.single(name)?
            .map(|text| {
                validation::parse_date(text).ok_or_else(|| {
                    ApiError::bad_input(format!(
                        "{name}: `{text}` is not a date; use YYYY-MM-DD, from 0001-01-01 to \
                         9999-12-31"
                    ))
                })
            })
            .transpose()
    }

    /// The time grain `name`.
    pub fn grain(&self, name: &str) -> Result<Option<TimeGrain>, ApiError> {
        self.single(name)?
            .map(|text| enum_value(name, text))
            .transpose()
    }

    /// The levers of the list `name`.
    pub fn levers(&self, name: &str) -> Result<Vec<Lever>, ApiError> {
        self.list(name)
            .into_iter()
            .map(|text| enum_value(name, text))
            .collect()
    }

    /// The dimensions of the list `name` (`CAMPAIGN`, `LEVER`, `PERSONA`, `ACTION`).
    pub fn dimensions(&self, name: &str) -> Result<Vec<Dimension>, ApiError> {
        self.list(name)
            .into_iter()
            .map(|text| match text.to_ascii_uppercase().as_str() {
                "CAMPAIGN" => Ok(Dimension::Campaign),
                "LEVER" => Ok(Dimension::Lever),
                "PERSONA" => Ok(Dimension::Persona),
                "ACTION" => Ok(Dimension::Action),
                _ => Err(ApiError::bad_input(format!(
                    "{name}: `{text}` is not one of CAMPAIGN, LEVER, PERSONA, ACTION"
                ))),
            })
            .collect()
    }
}

/// `value`, or BAD_USER_INPUT saying that `name` is required and what it takes.
pub fn required<T>(value: Option<T>, name: &str, takes: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::bad_input(format!("`{name}` is required ({takes})")))
}

/// The value of an enum spelt `text` in any case, or BAD_USER_INPUT listing its values.
fn enum_value<T: ActiveEnum<Value = String>>(name: &str, text: &str) -> Result<T, ApiError> {
    T::try_from_value(&text.to_ascii_uppercase()).map_err(|_| {
        ApiError::bad_input(format!(
            "{name}: `{text}` is not one of {}",
            T::values().join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: [&str; 4] = ["kpis", "from", "grain", "levers"];

    fn parse(query: &str) -> Params {
        Params::parse(query, &KNOWN).unwrap_or_else(|error| panic!("{query}: {}", error.message))
    }

    #[test]
    fn an_unknown_parameter_is_refused_by_name() {
        let error = Params::parse("kpis=clicks&lever=SEO", &KNOWN)
            .err()
            .map(|error| error.message);
        assert_eq!(
            error.as_deref(),
            Some("unknown parameter `lever`; use kpis, from, grain, levers")
        );
    }

    #[test]
    fn lists_are_comma_separated_or_repeated_and_singles_are_given_once() {
        let params = parse("kpis=clicks,%20leads&kpis=&kpis=spend,,");
        assert_eq!(params.list("kpis"), ["clicks", "leads", "spend"]);
        assert!(params.list("levers").is_empty());
        assert!(
            parse("from=2027-01-01&from=2027-01-02")
                .date("from")
                .is_err()
        );
        assert_eq!(parse("from=%20").date("from").ok(), Some(None));
        assert_eq!(
            parse("from=2027-03-01").date("from").ok().flatten(),
            NaiveDate::from_ymd_opt(2027, 3, 1)
        );
        assert!(parse("from=2027-13-01").date("from").is_err());
    }

    #[test]
    fn enum_values_are_read_in_any_case() {
        let params = parse("grain=month&levers=seo,Sea");
        assert_eq!(params.grain("grain").ok(), Some(Some(TimeGrain::Month)));
        assert_eq!(
            params.levers("levers").ok(),
            Some(vec![Lever::Seo, Lever::Sea])
        );
        assert!(parse("levers=TV").levers("levers").is_err());
        assert!(parse("grain=HOUR").grain("grain").is_err());
    }
}
