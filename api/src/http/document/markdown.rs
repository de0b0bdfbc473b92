//! The pieces every section of the plan document is written with: cell and line escaping,
//! headings, fields, tables, labels of enum values and the document's money format.

use chrono::NaiveDate;
use entity::enums::Lever;
use sea_orm::ActiveEnum;

use crate::domain::money;

/// Shown in table cells and values that have nothing to show.
pub(super) const NOTHING: &str = "—";

/// Text made safe for one Markdown table cell: `|` escaped, line breaks as `<br>`, trimmed.
pub(super) fn cell(text: &str) -> String {
    text.trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// Text on one line (a heading, a list item): line breaks become spaces.
pub(super) fn inline(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount of the plan's currency, written as the API writes it ([`money::amount`]: at least
/// the currency's minor units) followed by the code: `1250.50 EUR`, `1500 JPY`.
pub(super) fn format_money(micros: impl Into<i128>, currency: &str) -> String {
    let micros = micros.into();
    // A sum of amounts may exceed 64 bits; it always fits a decimal (below 2^96 micros).
    match money::amount(micros, currency) {
        Ok(amount) => format!("{amount} {currency}"),
        Err(_) => format!("{micros} millionths of {currency}"),
    }
}

/// A stored value (micros) without trailing zeros: `0.034`, `40`.
pub(super) fn format_value(micros: i64) -> String {
    money::from_micros(micros).to_string()
}

/// Words kept in capitals when an enum value is turned into a label.
const ACRONYMS: &[&str] = &["SEO", "SEA", "PR", "CRO", "UX", "SMO"];

/// A readable label of an enum value: `SOCIAL_ADS` → `Social ads`, `SEO` stays `SEO`.
pub(super) fn label<T: ActiveEnum<Value = String>>(value: T) -> String {
    let text = value.to_value();
    if text == "TODO" {
        return "To do".to_owned();
    }
    text.split('_')
        .enumerate()
        .map(|(index, word)| {
            if ACRONYMS.contains(&word) {
                word.to_owned()
            } else if index == 0 {
                let lower = word.to_lowercase();
                let mut chars = lower.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Levers as a comma-separated list of labels, or [`NOTHING`].
pub(super) fn levers_text(levers: &[Lever]) -> String {
    if levers.is_empty() {
        NOTHING.to_owned()
    } else {
        levers
            .iter()
            .map(|lever| label(*lever))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Optional text as a cell, or [`NOTHING`] when absent or blank.
pub(super) fn or_nothing(text: Option<&str>) -> String {
    match text.map(str::trim) {
        Some(text) if !text.is_empty() => cell(text),
        _ => NOTHING.to_owned(),
    }
}

/// Items as one cell separated by `;`, or [`NOTHING`].
pub(super) fn list_or_nothing(items: &[String]) -> String {
    if items.is_empty() {
        NOTHING.to_owned()
    } else {
        cell(&items.join("; "))
    }
}

/// A Markdown table: a header row, its separator, and the rows (cells already escaped).
pub(super) fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| "---|").collect::<String>()
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push('\n');
}

/// A heading of `level` (1 is the document's title).
pub(super) fn heading(out: &mut String, level: usize, text: &str) {
    out.push_str(&format!("{} {}\n\n", "#".repeat(level), inline(text)));
}

/// What a section without rows shows.
pub(super) fn none_recorded(out: &mut String) {
    out.push_str("_None recorded._\n\n");
}

/// A `- **name:** value` line, left out when the value is absent or blank.
pub(super) fn field(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(value) = value.map(inline).filter(|value| !value.is_empty()) {
        out.push_str(&format!("- **{name}:** {value}\n"));
    }
}

/// A `- **name:** a; b` line, left out when there are no values.
pub(super) fn list_field(out: &mut String, name: &str, values: &[String]) {
    if !values.is_empty() {
        let values: Vec<String> = values.iter().map(|value| inline(value)).collect();
        out.push_str(&format!("- **{name}:** {}\n", values.join("; ")));
    }
}

/// A period from `start` to `end`, both included.
pub(super) fn period(start: NaiveDate, end: NaiveDate) -> String {
    format!("{start} → {end}")
}

#[cfg(test)]
mod tests {
    use entity::enums::CampaignStatus;

    use super::*;

    #[test]
    fn cells_escape_pipes_and_line_breaks() {
        assert_eq!(cell(" a | b\nc\r\nd "), "a \\| b<br>c<br>d");
        assert_eq!(inline("one\n two\r\n"), "one two");
    }

    #[test]
    fn money_has_at_least_the_currency_s_minor_units() {
        assert_eq!(format_money(1_250_500_000, "EUR"), "1250.50 EUR");
        assert_eq!(format_money(0, "EUR"), "0.00 EUR");
        assert_eq!(format_money(1, "USD"), "0.000001 USD");
        assert_eq!(format_money(1_500_000_000, "JPY"), "1500 JPY");
        assert_eq!(format_money(-1_500_000, "EUR"), "-1.50 EUR");
    }

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label(Lever::SocialAds), "Social ads");
        assert_eq!(label(Lever::Seo), "SEO");
        assert_eq!(label(CampaignStatus::Planned), "Planned");
        assert_eq!(label(entity::action_enums::ActionStatus::Todo), "To do");
    }

    #[test]
    fn tables_have_a_separator_per_column() {
        let mut out = String::new();
        table(&mut out, &["A", "B"], &[vec!["1".into(), cell("x|y")]]);
        assert_eq!(out, "| A | B |\n|---|---|\n| 1 | x\\|y |\n\n");
    }
}
