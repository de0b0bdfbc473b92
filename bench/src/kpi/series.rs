//! The series reads: `kpiSeries` of one derived KPI over the year, by MONTH × LEVER over the
//! tenant and by DAY × CAMPAIGN over one plan, through the API, against the same grouped SQL run
//! directly on the raw measurements, and the check that both give the same numbers.

use std::collections::BTreeMap;

use anyhow::{Context, bail, ensure};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, Value};
use serde_json::json;
use uuid::Uuid;

use super::data::{KEYS, year_end, year_start};

/// The GraphQL query; the variables carry the input.
pub const QUERY: &str = "query($input: KpiSeriesInput!) { kpiSeries(input: $input) { kpiKey periodStart value lever campaignId } }";

/// Which series is read.
#[derive(Debug, Clone)]
pub enum Shape {
    /// By MONTH × LEVER, over all of the tenant's measurements.
    MonthLever,
    /// By DAY × CAMPAIGN, over one plan's measurements.
    DayCampaign {
        /// The plan's global ID (the API's filter).
        plan_global_id: String,
        /// The plan's id (the raw filter).
        plan_id: Uuid,
        /// The campaigns' global IDs with their ids, to compare the API's points with the raw ones.
        campaigns: Vec<(String, Uuid)>,
    },
}

impl Shape {
    /// How the report names it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::MonthLever => "MONTH, groupBy LEVER",
            Self::DayCampaign { .. } => "DAY, groupBy CAMPAIGN, one plan",
        }
    }
}

/// The variables of [`QUERY`] for `kpi` over the measured year.
pub fn variables(kpi: &str, shape: &Shape) -> serde_json::Value {
    match shape {
        Shape::MonthLever => json!({
            "input": {
                "kpiKeys": [kpi],
                "from": year_start().to_string(),
                "to": year_end().to_string(),
                "grain": "MONTH",
                "groupBy": ["LEVER"],
            }
        }),
        Shape::DayCampaign { plan_global_id, .. } => json!({
            "input": {
                "kpiKeys": [kpi],
                "from": year_start().to_string(),
                "to": year_end().to_string(),
                "grain": "DAY",
                "groupBy": ["CAMPAIGN"],
                "planId": plan_global_id,
            }
        }),
    }
}

/// A ratio KPI of the catalogue: value = scale × Σ numerator / Σ denominator + offset.
#[derive(Debug, Clone)]
pub struct Ratio {
    /// Numerator base KPI.
    pub numerator: String,
    /// Denominator base KPI.
    pub denominator: String,
    /// Scale factor.
    pub scale: Decimal,
    /// Offset.
    pub offset: Decimal,
}

impl Ratio {
    /// Reads the built-in definition of `key` (outside any timing) and checks that both of its
    /// components are seeded.
    pub async fn load(db: &DatabaseConnection, key: &str) -> anyhow::Result<Self> {
        let backend = db.get_database_backend();
        let placeholder = if backend == DbBackend::Postgres {
            "$1"
        } else {
            "?"
        };
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT \"numerator_key\", \"denominator_key\", \"scale\", \"offset\" \
                     FROM \"kpi_definitions\" WHERE \"key\" = {placeholder}"
                ),
                [Value::from(key)],
            ))
            .await
            .context("reading the KPI catalogue")?
            .with_context(|| format!("no built-in KPI `{key}`"))?;
        let numerator: Option<String> = row.try_get_by_index(0)?;
        let denominator: Option<String> = row.try_get_by_index(1)?;
        let (Some(numerator), Some(denominator)) = (numerator, denominator) else {
            bail!("`{key}` is not a ratio KPI");
        };
        for component in [&numerator, &denominator] {
            ensure!(
                KEYS.contains(&component.as_str()),
                "`{key}` needs `{component}`, which the bench does not seed (it seeds {KEYS:?})"
            );
        }
        let decimal = |text: String| -> anyhow::Result<Decimal> {
            text.parse()
                .with_context(|| format!("`{key}` has a non-decimal scale or offset `{text}`"))
        };
        Ok(Self {
            numerator,
            denominator,
            scale: decimal(row.try_get_by_index(2)?)?,
            offset: decimal(row.try_get_by_index(3)?)?,
        })
    }

    /// The value of one group, `None` when the denominator is 0.
    pub fn value(&self, numerator: i64, denominator: i64) -> Option<Decimal> {
        if denominator == 0 {
            return None;
        }
        let fraction = Decimal::from(numerator).checked_div(Decimal::from(denominator))?;
        Some(self.scale * fraction + self.offset)
    }
}

/// A series: (period start, lever or campaign id) → value.
pub type Points = BTreeMap<(NaiveDate, Option<String>), Option<Decimal>>;

/// The grouped SQL of a ratio over the year, for one tenant, by month and lever or (for one
/// plan) by day and campaign, over the raw measurements: both components summed in one pass,
/// the month bucket computed by the database.
pub fn statement(backend: DbBackend, tenant_id: Uuid, ratio: &Ratio, shape: &Shape) -> Statement {
    let mut values: Vec<Value> = Vec::new();
    let mut bind = |value: Value| {
        values.push(value);
        match backend {
            DbBackend::Postgres => format!("${}", values.len()),
            _ => "?".to_owned(),
        }
    };
    let (bucket, sum) = match backend {
        DbBackend::Postgres if matches!(shape, Shape::DayCampaign { .. }) => (
            "\"date\"",
            "CAST(SUM(CASE WHEN \"kpi_key\" = {} THEN \"value_micros\" ELSE 0 END) AS BIGINT)",
        ),
        DbBackend::Postgres => (
            "CAST(date_trunc('month', \"date\") AS date)",
            "CAST(SUM(CASE WHEN \"kpi_key\" = {} THEN \"value_micros\" ELSE 0 END) AS BIGINT)",
        ),
        _ if matches!(shape, Shape::DayCampaign { .. }) => (
            "\"date\"",
            "SUM(CASE WHEN \"kpi_key\" = {} THEN \"value_micros\" ELSE 0 END)",
        ),
        _ => (
            "strftime('%Y-%m-01', \"date\")",
            "SUM(CASE WHEN \"kpi_key\" = {} THEN \"value_micros\" ELSE 0 END)",
        ),
    };
    let numerator = sum.replace("{}", &bind(ratio.numerator.clone().into()));
    let denominator = sum.replace("{}", &bind(ratio.denominator.clone().into()));
    let tenant = bind(tenant_id.into());
    let keys = format!(
        "{}, {}",
        bind(ratio.numerator.clone().into()),
        bind(ratio.denominator.clone().into())
    );
    let from = bind(year_start().into());
    let to = bind(year_end().into());
    let (group, plan) = match shape {
        Shape::MonthLever => ("\"lever\"", String::new()),
        Shape::DayCampaign { plan_id, .. } => (
            "\"campaign_id\"",
            format!(" AND \"plan_id\" = {}", bind((*plan_id).into())),
        ),
    };
    let sql = format!(
        "SELECT {bucket} AS \"period\", {group}, {numerator} AS \"numerator\", \
         {denominator} AS \"denominator\" FROM \"measurements\" \
         WHERE \"tenant_id\" = {tenant} AND \"kpi_key\" IN ({keys}) \
         AND \"date\" >= {from} AND \"date\" <= {to}{plan} \
         GROUP BY 1, 2 ORDER BY 1, 2"
    );
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs [`statement`] and computes the ratio of every group.
pub async fn raw(
    db: &DatabaseConnection,
    tenant_id: Uuid,
    ratio: &Ratio,
    shape: &Shape,
) -> Result<Points, DbErr> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(statement(backend, tenant_id, ratio, shape))
        .await?;
    let mut points = Points::new();
    for row in rows {
        let period = match backend {
            DbBackend::Postgres => row.try_get_by_index::<NaiveDate>(0)?,
            _ => {
                let text: String = row.try_get_by_index(0)?;
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|error| {
                    DbErr::Type(format!("month bucket `{text}` is not a date: {error}"))
                })?
            }
        };
        let group: Option<String> = match shape {
            Shape::MonthLever => row.try_get_by_index(1)?,
            Shape::DayCampaign { .. } => row
                .try_get_by_index::<Option<Uuid>>(1)?
                .map(|id| id.to_string()),
        };
        let numerator: i64 = row.try_get_by_index(2)?;
        let denominator: i64 = row.try_get_by_index(3)?;
        points.insert((period, group), ratio.value(numerator, denominator));
    }
    Ok(points)
}

/// The points of a `kpiSeries` answer (`data`).
pub fn api_points(data: &serde_json::Value, kpi: &str, shape: &Shape) -> anyhow::Result<Points> {
    let list = data["kpiSeries"]
        .as_array()
        .with_context(|| format!("kpiSeries is not a list: {data}"))?;
    let mut points = Points::new();
    for point in list {
        ensure!(
            point["kpiKey"].as_str() == Some(kpi),
            "a point of another KPI: {point}"
        );
        let period = point["periodStart"]
            .as_str()
            .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .with_context(|| format!("a point without a periodStart date: {point}"))?;
        let group = match shape {
            Shape::MonthLever => point["lever"].as_str().map(str::to_owned),
            Shape::DayCampaign { campaigns, .. } => match point["campaignId"].as_str() {
                None => None,
                Some(global) => Some(
                    campaigns
                        .iter()
                        .find(|(id, _)| id == global)
                        .map(|(_, uuid)| uuid.to_string())
                        .with_context(|| format!("a point of an unknown campaign: {point}"))?,
                ),
            },
        };
        let value = match &point["value"] {
            serde_json::Value::Null => None,
            serde_json::Value::String(text) => Some(
                text.parse::<Decimal>()
                    .with_context(|| format!("a value that is not a Decimal: {point}"))?,
            ),
            other => bail!("a value that is not a Decimal string: {other}"),
        };
        ensure!(
            points.insert((period, group), value).is_none(),
            "two points for the same period and group: {point}"
        );
    }
    Ok(points)
}

/// How the two answers compare.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Agreement {
    /// Points of each answer.
    pub points: usize,
    /// The largest |API − raw| over all points.
    pub max_difference: String,
}

/// Fails unless both answers have the same points and every value agrees within 10⁻¹²
/// (relative): the API may compute at another decimal precision, never to other numbers.
pub fn compare(api: &Points, raw: &Points) -> anyhow::Result<Agreement> {
    ensure!(!raw.is_empty(), "the raw query found no measurement");
    ensure!(
        api.len() == raw.len() && api.keys().eq(raw.keys()),
        "the API's points {:?} are not the raw query's {:?}",
        api.keys().collect::<Vec<_>>(),
        raw.keys().collect::<Vec<_>>()
    );
    let tolerance = Decimal::new(1, 12);
    let mut max_difference = Decimal::ZERO;
    for (key, expected) in raw {
        let found = api.get(key).copied().flatten();
        match (found, expected) {
            (Some(found), Some(expected)) => {
                let difference = (found - expected).abs();
                ensure!(
                    difference <= tolerance * expected.abs().max(Decimal::ONE),
                    "at {key:?} the API says {found}, the raw query {expected}"
                );
                max_difference = max_difference.max(difference);
            }
            (None, None) => {}
            _ => bail!("at {key:?} the API says {found:?}, the raw query {expected:?}"),
        }
    }
    Ok(Agreement {
        points: raw.len(),
        max_difference: max_difference.normalize().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use sea_orm::DbBackend;
    use serde_json::json;
    use uuid::Uuid;

    use super::{Points, Ratio, Shape, api_points, compare, statement};

    fn ctr() -> Ratio {
        Ratio {
            numerator: "clicks".to_owned(),
            denominator: "impressions".to_owned(),
            scale: Decimal::ONE,
            offset: Decimal::ZERO,
        }
    }

    fn day(month: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, month, 1).unwrap_or_default()
    }

    #[test]
    fn a_ratio_divides_the_sums_and_is_null_on_a_zero_denominator() {
        assert_eq!(
            ctr().value(34_000_000, 1_000_000_000),
            Some(Decimal::new(34, 3))
        );
        assert_eq!(ctr().value(5, 0), None);
        let cpm = Ratio {
            scale: Decimal::from(1000),
            ..ctr()
        };
        // 12.5 spend over 5 000 impressions, per thousand: 2.5.
        assert_eq!(
            cpm.value(12_500_000, 5_000_000_000),
            Some(Decimal::new(25, 1))
        );
    }

    #[test]
    fn the_grouped_sql_buckets_by_month_per_backend() {
        let tenant = Uuid::from_u128(1);
        let postgres = statement(DbBackend::Postgres, tenant, &ctr(), &Shape::MonthLever);
        assert!(postgres.sql.starts_with(
            "SELECT CAST(date_trunc('month', \"date\") AS date) AS \"period\", \"lever\", \
             CAST(SUM(CASE WHEN \"kpi_key\" = $1 THEN \"value_micros\" ELSE 0 END) AS BIGINT)"
        ));
        assert!(postgres.sql.contains(
            "WHERE \"tenant_id\" = $3 AND \"kpi_key\" IN ($4, $5) AND \"date\" >= $6 AND \"date\" <= $7 GROUP BY 1, 2"
        ));
        assert_eq!(postgres.values.map(|v| v.0.len()), Some(7));
        let sqlite = statement(DbBackend::Sqlite, tenant, &ctr(), &Shape::MonthLever);
        assert!(
            sqlite
                .sql
                .starts_with("SELECT strftime('%Y-%m-01', \"date\") AS \"period\"")
        );
        assert_eq!(sqlite.sql.matches('?').count(), 7);

        // By day and campaign, one plan: the date itself, the campaign, and the plan bound.
        let by_day = Shape::DayCampaign {
            plan_global_id: "UGxhbjox".to_owned(),
            plan_id: Uuid::from_u128(9),
            campaigns: Vec::new(),
        };
        let postgres = statement(DbBackend::Postgres, tenant, &ctr(), &by_day);
        assert!(
            postgres
                .sql
                .starts_with("SELECT \"date\" AS \"period\", \"campaign_id\", ")
        );
        assert!(
            postgres
                .sql
                .contains("AND \"date\" <= $7 AND \"plan_id\" = $8 GROUP BY 1, 2")
        );
        assert_eq!(postgres.values.map(|v| v.0.len()), Some(8));
    }

    #[test]
    fn api_points_are_read_and_compared_with_the_raw_ones() {
        let data = json!({ "kpiSeries": [
            { "kpiKey": "ctr", "periodStart": "2027-01-01", "lever": "SEO", "value": "0.0340000000000001" },
            { "kpiKey": "ctr", "periodStart": "2027-02-01", "lever": "SEO", "value": null },
        ]});
        let api = api_points(&data, "ctr", &Shape::MonthLever).unwrap_or_default();
        let mut raw = Points::new();
        raw.insert((day(1), Some("SEO".to_owned())), Some(Decimal::new(34, 3)));
        raw.insert((day(2), Some("SEO".to_owned())), None);
        let agreement = compare(&api, &raw).ok();
        assert_eq!(agreement.as_ref().map(|a| a.points), Some(2));
        assert_eq!(
            agreement.map(|a| a.max_difference),
            Some("0.0000000000000001".to_owned())
        );

        // A value off in the 6th digit, a missing point, a null against a value: all refused.
        let mut off = raw.clone();
        off.insert(
            (day(1), Some("SEO".to_owned())),
            Some(Decimal::new(34001, 6)),
        );
        assert!(compare(&api, &off).is_err());
        let mut fewer = raw.clone();
        fewer.remove(&(day(2), Some("SEO".to_owned())));
        assert!(compare(&api, &fewer).is_err());
        let mut valued = raw;
        valued.insert((day(2), Some("SEO".to_owned())), Some(Decimal::ONE));
        assert!(compare(&api, &valued).is_err());

        // Another KPI or a duplicate point is not a valid answer.
        assert!(api_points(&data, "cpc", &Shape::MonthLever).is_err());
        let twice = json!({ "kpiSeries": [
            { "kpiKey": "ctr", "periodStart": "2027-01-01", "lever": "SEO", "value": "1" },
            { "kpiKey": "ctr", "periodStart": "2027-01-01", "lever": "SEO", "value": "1" },
        ]});
        assert!(api_points(&twice, "ctr", &Shape::MonthLever).is_err());

        // By campaign: the API's global IDs become the raw side's ids; an unknown one is refused.
        let by_day = Shape::DayCampaign {
            plan_global_id: String::new(),
            plan_id: Uuid::from_u128(9),
            campaigns: vec![("Q2FtcGFpZ246MQ==".to_owned(), Uuid::from_u128(1))],
        };
        let data = json!({ "kpiSeries": [
            { "kpiKey": "ctr", "periodStart": "2027-01-01", "campaignId": "Q2FtcGFpZ246MQ==", "value": "1" },
        ]});
        let points = api_points(&data, "ctr", &by_day).unwrap_or_default();
        assert_eq!(
            points.keys().next(),
            Some(&(day(1), Some(Uuid::from_u128(1).to_string())))
        );
        let stranger = json!({ "kpiSeries": [
            { "kpiKey": "ctr", "periodStart": "2027-01-01", "campaignId": "other", "value": "1" },
        ]});
        assert!(api_points(&stranger, "ctr", &by_day).is_err());
    }
}
