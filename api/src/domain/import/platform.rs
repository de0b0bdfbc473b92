//! The ad platforms whose CSV reports Levier imports, and which of their columns give the date,
//! the campaign and the four built-in KPIs (README "Imports" has the same table).
//!
//! | platform | date | campaign | impressions | clicks | spend | conversions |
//! |---|---|---|---|---|---|---|
//! | `GOOGLE_ADS` | `Day` | `Campaign` | `Impr.` | `Clicks` | `Cost` | `Conversions` |
//! | `META_ADS` | `Reporting starts` | `Campaign name` | `Impressions` | `Link clicks`, else `Clicks (all)` | `Amount spent (EUR)` (any currency) | `Results` |
//! | `LINKEDIN_ADS` | `Start Date (in UTC)` | `Campaign Name` | `Impressions` | `Clicks` | `Total Spent` | `Conversions` |
//!
//! Each also has a `Campaign ID` column, matched with the campaigns' external references.
//! A few other spellings the same platforms use are accepted too (`Date`, `Impressions`,
//! `Amount spent`, `Total spent`…). Column names are matched ignoring case and surrounding
//! spaces.

use entity::enums::Lever;

/// An ad platform whose reports can be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdPlatform {
    /// Google Ads (campaign reports downloaded as CSV).
    GoogleAds,
    /// Meta Ads Manager (Facebook, Instagram) reports exported as CSV.
    MetaAds,
    /// LinkedIn Campaign Manager performance reports exported as CSV.
    LinkedinAds,
}

/// One KPI column of a report.
#[derive(Debug, Clone, Copy)]
pub struct KpiColumn {
    /// The built-in KPI it measures.
    pub kpi_key: &'static str,
    /// The names the platform gives the column, in order of preference.
    pub names: &'static [&'static str],
    /// Whether the value is money (in the file's currency).
    pub money: bool,
}

/// Which columns of a platform's report mean what.
#[derive(Debug, Clone, Copy)]
pub struct Mapping {
    /// The day the row measures.
    pub date: &'static [&'static str],
    /// The campaign's name.
    pub campaign: &'static [&'static str],
    /// The campaign's id on the platform (matched with a campaign's external reference).
    pub campaign_id: &'static [&'static str],
    /// The KPIs.
    pub kpis: [KpiColumn; 4],
}

impl AdPlatform {
    /// Every platform.
    pub const ALL: [Self; 3] = [Self::GoogleAds, Self::MetaAds, Self::LinkedinAds];

    /// The platform named `name` as the API spells it (`GOOGLE_ADS`), any case.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|platform| platform.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The platform's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::GoogleAds => "GOOGLE_ADS",
            Self::MetaAds => "META_ADS",
            Self::LinkedinAds => "LINKEDIN_ADS",
        }
    }

    /// The `source` of the measurements imported from it.
    pub fn source(self) -> &'static str {
        match self {
            Self::GoogleAds => "google_ads",
            Self::MetaAds => "meta_ads",
            Self::LinkedinAds => "linkedin_ads",
        }
    }

    /// The lever its measurements are recorded under.
    pub fn lever(self) -> Lever {
        match self {
            Self::GoogleAds => Lever::Sea,
            Self::MetaAds | Self::LinkedinAds => Lever::SocialAds,
        }
    }

    /// Its columns.
    pub fn mapping(self) -> Mapping {
        match self {
            Self::GoogleAds => Mapping {
                date: &["Day", "Date"],
                campaign: &["Campaign", "Campaign name"],
                campaign_id: &["Campaign ID"],
                kpis: [
                    kpi("impressions", &["Impr.", "Impressions"], false),
                    kpi("clicks", &["Clicks"], false),
                    kpi("spend", &["Cost"], true),
                    kpi("conversions", &["Conversions"], false),
                ],
            },
            Self::MetaAds => Mapping {
                date: &["Reporting starts", "Day", "Date"],
                campaign: &["Campaign name", "Campaign"],
                campaign_id: &["Campaign ID"],
                kpis: [
                    kpi("impressions", &["Impressions"], false),
                    kpi("clicks", &["Link clicks", "Clicks (all)"], false),
                    kpi("spend", &["Amount spent (*)", "Amount spent"], true),
                    kpi("conversions", &["Results", "Conversions"], false),
                ],
            },
            Self::LinkedinAds => Mapping {
                date: &["Start Date (in UTC)", "Start Date", "Date"],
                campaign: &["Campaign Name", "Campaign"],
                campaign_id: &["Campaign ID"],
                kpis: [
                    kpi("impressions", &["Impressions"], false),
                    kpi("clicks", &["Clicks"], false),
                    kpi("spend", &["Total Spent", "Amount Spent"], true),
                    kpi("conversions", &["Conversions"], false),
                ],
            },
        }
    }
}

const fn kpi(kpi_key: &'static str, names: &'static [&'static str], money: bool) -> KpiColumn {
    KpiColumn {
        kpi_key,
        names,
        money,
    }
}

/// Whether the header cell `header` is the column `name`: equal ignoring case; a name ending
/// in `(*)` matches any parenthesised suffix (Meta's `Amount spent (EUR)`).
pub fn matches(name: &str, header: &str) -> bool {
    let header = header.trim();
    match name.strip_suffix("(*)") {
        Some(prefix) => {
            header.len() > prefix.len()
                && header.is_char_boundary(prefix.len())
                && header[..prefix.len()].eq_ignore_ascii_case(prefix)
                && header.ends_with(')')
        }
        None => header.eq_ignore_ascii_case(name),
    }
}

/// The currency a header names in parentheses, an ISO 4217 code in capitals (`Amount spent
/// (USD)` → `USD`; `Clicks (all)` names none).
pub fn header_currency(header: &str) -> Option<String> {
    let inner = header.trim().strip_suffix(')')?.rsplit_once('(')?.1.trim();
    (inner.len() == 3 && inner.bytes().all(|b| b.is_ascii_uppercase())).then(|| inner.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_match_as_platforms_spell_them() {
        assert!(matches("Impr.", " impr. "));
        assert!(matches("Amount spent (*)", "Amount spent (EUR)"));
        assert!(!matches("Amount spent (*)", "Amount spent"));
        assert!(!matches("Clicks", "Clicks (all)"));
        assert_eq!(
            header_currency("Amount spent (USD)"),
            Some("USD".to_owned())
        );
        assert_eq!(header_currency("Clicks (all)"), None);
        assert_eq!(AdPlatform::named("meta_ads"), Some(AdPlatform::MetaAds));
    }
}
