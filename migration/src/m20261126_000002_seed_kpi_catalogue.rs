//! The built-in KPI catalogue: base KPIs (summed, snapshot, non-additive) and derived ratios.

use sea_orm_migration::prelude::*;

/// Creates `kpi_definitions` and fills it with the built-in KPIs.
pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000002_seed_kpi_catalogue"
    }
}

#[derive(DeriveIden)]
enum KpiDefinitions {
    Table,
    Id,
    Key,
    Name,
    Description,
    Unit,
    Direction,
    Aggregation,
    NumeratorKey,
    DenominatorKey,
    Scale,
    Offset,
}

/// One built-in KPI: key, name, description, unit, direction, aggregation, and for ratios
/// numerator, denominator, scale and offset.
struct Builtin {
    key: &'static str,
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    direction: &'static str,
    aggregation: &'static str,
    ratio: Option<(&'static str, &'static str, &'static str, &'static str)>,
}

const fn base(
    key: &'static str,
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    direction: &'static str,
    aggregation: &'static str,
) -> Builtin {
    Builtin {
        key,
        name,
        description,
        unit,
        direction,
        aggregation,
        ratio: None,
    }
}

const fn ratio(
    key: &'static str,
    name: &'static str,
    description: &'static str,
    unit: &'static str,
    direction: &'static str,
    formula: (&'static str, &'static str, &'static str, &'static str),
) -> Builtin {
    Builtin {
        key,
        name,
        description,
        unit,
        direction,
        aggregation: "RATIO",
        ratio: Some(formula),
    }
}

const HIGHER: &str = "HIGHER_IS_BETTER";
const LOWER: &str = "LOWER_IS_BETTER";

const CATALOGUE: &[Builtin] = &[
    base(
        "impressions",
        "Impressions",
        "Times an ad or content was displayed.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "clicks",
        "Clicks",
        "Clicks on an ad, a link or a call to action.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "spend",
        "Spend",
        "Money spent, in the plan's currency.",
        "CURRENCY",
        LOWER,
        "SUM",
    ),
    base(
        "conversions",
        "Conversions",
        "Completed goals (purchases, sign-ups…).",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "revenue",
        "Revenue",
        "Revenue attributed, in the plan's currency.",
        "CURRENCY",
        HIGHER,
        "SUM",
    ),
    base(
        "sessions",
        "Sessions",
        "Visits to the site.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "engaged_sessions",
        "Engaged sessions",
        "Sessions that did not bounce.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "leads",
        "Leads",
        "Contacts captured (forms, lead magnets).",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "emails_sent",
        "Emails sent",
        "Emails sent.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "emails_delivered",
        "Emails delivered",
        "Emails delivered to an inbox.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "emails_opened",
        "Emails opened",
        "Delivered emails that were opened.",
        "COUNT",
        HIGHER,
        "SUM",
    ),
    base(
        "subscribers",
        "Subscribers",
        "Newsletter subscribers at the time of measure (snapshot).",
        "COUNT",
        HIGHER,
        "LAST",
    ),
    base(
        "followers",
        "Followers",
        "Social followers at the time of measure (snapshot).",
        "COUNT",
        HIGHER,
        "LAST",
    ),
    base(
        "reach",
        "Reach",
        "Distinct people reached; not additive across days or groups.",
        "COUNT",
        HIGHER,
        "NON_ADDITIVE",
    ),
    base(
        "unique_users",
        "Unique users",
        "Distinct visitors; not additive across days or groups.",
        "COUNT",
        HIGHER,
        "NON_ADDITIVE",
    ),
    ratio(
        "ctr",
        "Click-through rate",
        "clicks / impressions.",
        "PERCENT",
        HIGHER,
        ("clicks", "impressions", "1", "0"),
    ),
    ratio(
        "cpc",
        "Cost per click",
        "spend / clicks.",
        "CURRENCY",
        LOWER,
        ("spend", "clicks", "1", "0"),
    ),
    ratio(
        "cpm",
        "Cost per thousand impressions",
        "spend / impressions × 1000.",
        "CURRENCY",
        LOWER,
        ("spend", "impressions", "1000", "0"),
    ),
    ratio(
        "cpa",
        "Cost per acquisition",
        "spend / conversions.",
        "CURRENCY",
        LOWER,
        ("spend", "conversions", "1", "0"),
    ),
    ratio(
        "cpl",
        "Cost per lead",
        "spend / leads.",
        "CURRENCY",
        LOWER,
        ("spend", "leads", "1", "0"),
    ),
    ratio(
        "conversion_rate",
        "Conversion rate",
        "conversions / clicks.",
        "PERCENT",
        HIGHER,
        ("conversions", "clicks", "1", "0"),
    ),
    ratio(
        "session_conversion_rate",
        "Session conversion rate",
        "conversions / sessions.",
        "PERCENT",
        HIGHER,
        ("conversions", "sessions", "1", "0"),
    ),
    ratio(
        "roas",
        "Return on ad spend",
        "revenue / spend.",
        "RATIO",
        HIGHER,
        ("revenue", "spend", "1", "0"),
    ),
    ratio(
        "roi",
        "Return on investment",
        "(revenue − spend) / spend, i.e. revenue / spend − 1.",
        "PERCENT",
        HIGHER,
        ("revenue", "spend", "1", "-1"),
    ),
    ratio(
        "open_rate",
        "Open rate",
        "emails opened / emails delivered.",
        "PERCENT",
        HIGHER,
        ("emails_opened", "emails_delivered", "1", "0"),
    ),
    ratio(
        "bounce_rate",
        "Bounce rate",
        "1 − engaged sessions / sessions.",
        "PERCENT",
        LOWER,
        ("engaged_sessions", "sessions", "-1", "1"),
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(KpiDefinitions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(KpiDefinitions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Key)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Name)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Description)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Unit)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Direction)
                            .string_len(24)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Aggregation)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(KpiDefinitions::NumeratorKey).string_len(64))
                    .col(ColumnDef::new(KpiDefinitions::DenominatorKey).string_len(64))
                    .col(
                        ColumnDef::new(KpiDefinitions::Scale)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(KpiDefinitions::Offset)
                            .string_len(32)
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;

        let mut insert = Query::insert();
        insert.into_table(KpiDefinitions::Table).columns([
            KpiDefinitions::Id,
            KpiDefinitions::Key,
            KpiDefinitions::Name,
            KpiDefinitions::Description,
            KpiDefinitions::Unit,
            KpiDefinitions::Direction,
            KpiDefinitions::Aggregation,
            KpiDefinitions::NumeratorKey,
            KpiDefinitions::DenominatorKey,
            KpiDefinitions::Scale,
            KpiDefinitions::Offset,
        ]);
        for kpi in CATALOGUE {
            let (numerator, denominator, scale, offset) = match kpi.ratio {
                Some((n, d, s, o)) => (Some(n), Some(d), s, o),
                None => (None, None, "1", "0"),
            };
            insert.values_panic([
                // A name-based UUID keeps the built-ins' IDs identical on every installation.
                uuid::Uuid::new_v5(
                    &uuid::Uuid::NAMESPACE_OID,
                    format!("levier.kpi.{}", kpi.key).as_bytes(),
                )
                .into(),
                kpi.key.into(),
                kpi.name.into(),
                kpi.description.into(),
                kpi.unit.into(),
                kpi.direction.into(),
                kpi.aggregation.into(),
                numerator.into(),
                denominator.into(),
                scale.into(),
                offset.into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(KpiDefinitions::Table).to_owned())
            .await
    }
}
