//! The tenant's exchange rates: loaded by admins (a list, a CSV text, or both in one call) and
//! read by whoever reads KPIs. Measurements sent in another currency than the tenant's
//! reporting currency are converted with them (see [`crate::domain::money::exchange`] for the
//! rules of rates and conversions, [`crate::domain::kpi::measurement`] for where).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::exchange_rate;
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::domain::{
    DomainResult, FieldErrorCode, Session,
    money::exchange::{self, RateError},
    validation::{self, Violations},
};
use crate::{auth::Permission, store};

/// Most rates accepted in one call (the list and the CSV's lines together).
pub const MAX_RATES: usize = 1000;

/// The header a CSV of rates starts with.
pub const CSV_HEADER: &str = "date,from,to,rate";

/// One rate to load: 1 `from` = `rate` `to` on `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRate {
    /// The day it applies to.
    pub date: NaiveDate,
    /// The currency converted from (ISO 4217).
    pub from: String,
    /// The currency converted to (ISO 4217).
    pub to: String,
    /// Units of `to` per unit of `from`.
    pub rate: Decimal,
}

/// Whether `code` has the shape of an ISO 4217 code: three capital letters, the rule plans and
/// the tenant's currency follow (a code newer than the server's table is accepted).
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// A rate of the input with the path its problems are reported at.
struct Located {
    path: Vec<String>,
    rate: NewRate,
}

/// Reads a CSV of rates: the header [`CSV_HEADER`], then one rate per line
/// (`2027-03-01,USD,EUR,0.9215`); blank lines are skipped, fields are trimmed. Problems are
/// reported at `["csv", "<line>"]`, lines counted from 1 (the header).
fn parse_csv(v: &mut Violations, text: &str) -> Vec<Located> {
    let mut lines = text.lines().enumerate();
    let header = lines
        .by_ref()
        .find(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| (number + 1, line));
    match header {
        None => return Vec::new(),
        Some((_, line))
            if line
                .trim()
                .trim_start_matches('\u{feff}')
                .split(',')
                .map(|field| field.trim().to_ascii_lowercase())
                .eq(CSV_HEADER.split(',').map(str::to_owned)) => {}
        Some((number, _)) => {
            v.add(
                &["csv", &number.to_string()],
                FieldErrorCode::Invalid,
                format!("a CSV of rates starts with the header `{CSV_HEADER}`"),
            );
            return Vec::new();
        }
    }
    let mut rates = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let number = (index + 1).to_string();
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [date, from, to, rate] = fields.as_slice() else {
            v.add(
                &["csv", &number],
                FieldErrorCode::Invalid,
                format!(
                    "line {number}: write 4 fields, `date,from,to,rate`, such as \
                     `2027-03-01,USD,EUR,0.9215`"
                ),
            );
            continue;
        };
        let date = validation::parse_date(date);
        let rate = rate.parse::<Decimal>().ok();
        let (Some(date), Some(rate)) = (date, rate) else {
            v.add(
                &["csv", &number],
                FieldErrorCode::Invalid,
                format!(
                    "line {number}: the date is written YYYY-MM-DD and the rate as a decimal \
                     number such as 0.9215"
                ),
            );
            continue;
        };
        rates.push(Located {
            path: vec!["csv".to_owned(), number],
            rate: NewRate {
                date,
                from: (*from).to_owned(),
                to: (*to).to_owned(),
                rate,
            },
        });
    }
    rates
}

/// Checks one rate; problems are reported at `path` plus the field (list items) or at `path`
/// itself (CSV lines, with the field named in the message).
fn check(v: &mut Violations, located: &Located) -> Option<NewRate> {
    let in_csv = located.path.first().is_some_and(|root| root == "csv");
    let at = |field: &'static str| -> Vec<String> {
        let mut path = located.path.clone();
        if !in_csv {
            path.push(field.to_owned());
        }
        path
    };
    let mut report = |field: &'static str, code: FieldErrorCode, message: String| {
        let path = at(field);
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let message = if in_csv {
            format!("line {}: {field}: {message}", located.path[1])
        } else {
            message
        };
        v.add(&path, code, message);
    };
    let rate = &located.rate;
    let from = rate.from.trim().to_owned();
    let to = rate.to.trim().to_owned();
    let mut valid = true;
    for (field, code) in [("from", &from), ("to", &to)] {
        if !is_currency_code(code) {
            report(
                field,
                FieldErrorCode::Invalid,
                "must be an ISO 4217 code of three capital letters, such as EUR".to_owned(),
            );
            valid = false;
        }
    }
    if valid && from == to {
        report(
            "to",
            FieldErrorCode::Invalid,
            "a rate converts one currency into another: `from` and `to` differ".to_owned(),
        );
        valid = false;
    }
    let checked = match exchange::check_rate(rate.rate) {
        Ok(checked) => Some(checked),
        Err(error) => {
            let code = match error {
                RateError::TooPrecise => FieldErrorCode::TooPrecise,
                RateError::NotPositive | RateError::TooLarge => FieldErrorCode::OutOfRange,
            };
            report("rate", code, error.to_string());
            None
        }
    };
    match checked {
        Some(checked) if valid => Some(NewRate {
            date: rate.date,
            from,
            to,
            rate: checked,
        }),
        _ => None,
    }
}

/// Loads rates (ADMIN): the list `rates`, then the lines of `csv`, all of them or none, in one
/// transaction. A rate whose (date, from, to) the tenant already has replaces it. Returns the
/// rates as stored, list first, then the CSV's lines, in input order.
pub async fn set(
    session: &Session,
    rates: Vec<NewRate>,
    csv: Option<String>,
) -> DomainResult<Vec<exchange_rate::Model>> {
    let scope = session.scope(Permission::ManageTenant)?;
    let mut v = Violations::new();
    let mut located: Vec<Located> = rates
        .into_iter()
        .enumerate()
        .map(|(index, rate)| Located {
            path: vec!["rates".to_owned(), index.to_string()],
            rate,
        })
        .collect();
    if let Some(csv) = &csv {
        located.extend(parse_csv(&mut v, csv));
    }
    if located.len() > MAX_RATES {
        // Refused as a whole, whatever else is wrong with the rates.
        let mut v = Violations::new();
        v.add(
            &["rates"],
            FieldErrorCode::OutOfRange,
            format!(
                "load at most {MAX_RATES} rates per call, list and CSV together ({} were sent)",
                located.len()
            ),
        );
        return v.finish().map(|()| Vec::new());
    }
    let mut checked = Vec::with_capacity(located.len());
    let mut seen: HashMap<store::exchange_rate::RateKey, String> = HashMap::new();
    for item in &located {
        if let Some(rate) = check(&mut v, item) {
            let key = (rate.date, rate.from.clone(), rate.to.clone());
            let here = item.path.join(".");
            if let Some(first) = seen.insert(key, here) {
                let path: Vec<&str> = item.path.iter().map(String::as_str).collect();
                v.add(
                    &path,
                    FieldErrorCode::Duplicate,
                    format!(
                        "{} → {} on {} is also given at {first}",
                        rate.from, rate.to, rate.date
                    ),
                );
            }
            checked.push(rate);
        }
    }
    v.finish()?;
    if checked.is_empty() {
        return Ok(Vec::new());
    }

    let tx = scope.begin().await?;
    let keys: Vec<store::exchange_rate::RateKey> = seen.into_keys().collect();
    let existing = store::exchange_rate::by_keys(&tx, &keys).await?;
    let now = Utc::now();
    let mut models = Vec::with_capacity(checked.len());
    let mut writes = Vec::with_capacity(checked.len());
    for rate in checked {
        let previous = existing.get(&(rate.date, rate.from.clone(), rate.to.clone()));
        let model = exchange_rate::Model {
            tenant_id: tx.tenant_id(),
            id: previous.map_or_else(Uuid::now_v7, |previous| previous.id),
            date: rate.date,
            from_currency: rate.from,
            to_currency: rate.to,
            rate: rate.rate.to_string(),
            created_at: previous.map_or(now, |previous| previous.created_at),
            updated_at: now,
        };
        writes.push(exchange_rate::ActiveModel {
            tenant_id: Set(model.tenant_id),
            id: Set(model.id),
            date: Set(model.date),
            from_currency: Set(model.from_currency.clone()),
            to_currency: Set(model.to_currency.clone()),
            rate: Set(model.rate.clone()),
            created_at: Set(model.created_at),
            updated_at: Set(model.updated_at),
        });
        models.push(model);
    }
    store::exchange_rate::upsert(&tx, writes).await?;
    tx.commit().await?;
    Ok(models)
}

/// One page of the tenant's rates matching `filter`, in the order they were first loaded, with
/// the total (VIEWER and up, or an API key with READ_KPIS).
pub async fn list(
    session: &Session,
    filter: &store::exchange_rate::RateFilter,
    request: &store::page::PageRequest,
) -> DomainResult<(store::page::Page<exchange_rate::Model>, u64)> {
    let scope = session.scope(Permission::ReadKpis)?;
    for (field, code) in [("from", &filter.from), ("to", &filter.to)] {
        if let Some(code) = code {
            validation::filter_text("filter", &[field], code)?;
        }
    }
    Ok((
        store::exchange_rate::list(&scope, filter, request).await?,
        store::exchange_rate::count(&scope, filter).await?,
    ))
}

/// The rate of a stored row as a decimal (rows are written from checked decimals; a row that
/// does not parse, which only a hand edit of the database could make, reads as `None`).
pub fn rate_of(row: &exchange_rate::Model) -> Option<Decimal> {
    row.rate.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Vec<NewRate>, Vec<String>) {
        let mut v = Violations::new();
        let rates = parse_csv(&mut v, text)
            .into_iter()
            .map(|located| located.rate)
            .collect();
        let errors = match v.finish() {
            Err(crate::domain::DomainError::Invalid(errors)) => errors
                .into_iter()
                .map(|error| format!("{}: {}", error.field.join("."), error.code.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        (rates, errors)
    }

    #[test]
    fn a_csv_is_a_header_then_one_rate_per_line() {
        let (rates, errors) = parsed(
            "\u{feff}Date, From, To, Rate\n2027-03-01,USD,EUR,0.9215\n\n 2027-03-02 , GBP , EUR , 1.17 \r\n",
        );
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(rates.len(), 2);
        assert_eq!(rates[1].from, "GBP");
        assert_eq!(rates[1].rate, Decimal::new(117, 2));
        assert_eq!(parsed("").0, Vec::new());
    }

    #[test]
    fn a_csv_without_its_header_or_with_bad_lines_is_refused_by_line() {
        assert_eq!(
            parsed("2027-03-01,USD,EUR,0.92\n").1,
            vec!["input.csv.1: INVALID"]
        );
        assert_eq!(
            parsed("date,from,to,rate\n2027-03-01,USD,EUR\n2027-13-01,USD,EUR,1\n2027-03-01,USD,EUR,x\n").1,
            vec![
                "input.csv.2: INVALID",
                "input.csv.3: INVALID",
                "input.csv.4: INVALID"
            ]
        );
    }

    #[test]
    fn codes_have_three_capital_letters() {
        assert!(is_currency_code("USD"));
        assert!(!is_currency_code("usd"));
        assert!(!is_currency_code("US"));
        assert!(!is_currency_code("USDT"));
    }
}
