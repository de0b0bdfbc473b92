//! `campaigns`: a coordinated set of actions of a plan, over dates, with a budget.

use sea_orm::entity::prelude::*;

use crate::enums::{CampaignStatus, ObjectiveKind};

/// A campaign row. Its levers and target personas live in link tables.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The plan it belongs to.
    pub plan_id: Uuid,
    /// Name.
    pub name: String,
    /// Family (awareness, traffic, conversion, loyalty).
    pub kind: ObjectiveKind,
    /// First day.
    pub start_date: Date,
    /// Last day (inclusive).
    pub end_date: Date,
    /// Planned budget in micros of the plan's currency.
    pub budget_micros: i64,
    /// Lifecycle status.
    pub status: CampaignStatus,
    /// The `utm_campaign` code its links carry.
    pub utm_code: Option<String>,
    /// The campaign it is part of, in the same plan.
    pub parent_campaign_id: Option<Uuid>,
    /// The system this row is synced from (with `external_id`; both or neither).
    pub external_source: Option<String>,
    /// Its identifier in that system, unique per tenant with `external_source`.
    pub external_id: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last update time.
    pub updated_at: DateTimeUtc,
}

/// No relations are navigated through SeaORM; the store writes its joins explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The campaign in `row`, read by position: the row's first columns must be the table's,
    /// in the order of [`Column`] (the order SeaORM selects them in, as in `SELECT …` of
    /// `Entity::find()`, extra columns after them ignored).
    ///
    /// Why: the derived `FromQueryResult` looks each column up by name in the driver's map and,
    /// for every NULL of an optional column, formats the column's name into an error it then
    /// discards; for the pages of a nested read (hundreds of campaigns per answer) that was
    /// half the cost of building the models (bench/README.md, "CPU per nested read"). The
    /// store checks, in debug builds, that both decodings agree on every page it reads.
    pub fn from_row_by_position(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(Self {
            tenant_id: row.try_get_by_index(0)?,
            id: row.try_get_by_index(1)?,
            plan_id: row.try_get_by_index(2)?,
            name: row.try_get_by_index(3)?,
            kind: row.try_get_by_index(4)?,
            start_date: row.try_get_by_index(5)?,
            end_date: row.try_get_by_index(6)?,
            budget_micros: row.try_get_by_index(7)?,
            status: row.try_get_by_index(8)?,
            utm_code: row.try_get_by_index(9)?,
            parent_campaign_id: row.try_get_by_index(10)?,
            external_source: row.try_get_by_index(11)?,
            external_id: row.try_get_by_index(12)?,
            version: row.try_get_by_index(13)?,
            created_at: row.try_get_by_index(14)?,
            updated_at: row.try_get_by_index(15)?,
        })
    }
}

crate::versioned!(Entity, Column);
crate::externally_referenced!(Entity, Column, Model);

#[cfg(test)]
mod tests {
    use sea_orm::{IdenStatic, Iterable};

    use super::Column;

    /// `Model::from_row_by_position` reads the columns at these positions.
    #[test]
    fn the_columns_are_in_the_order_the_positional_reading_expects() {
        let names: Vec<&str> = Column::iter().map(|column| column.as_str()).collect();
        assert_eq!(
            names,
            [
                "tenant_id",
                "id",
                "plan_id",
                "name",
                "kind",
                "start_date",
                "end_date",
                "budget_micros",
                "status",
                "utm_code",
                "parent_campaign_id",
                "external_source",
                "external_id",
                "version",
                "created_at",
                "updated_at",
            ]
        );
    }
}
