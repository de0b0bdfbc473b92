//! `personas`: a semi-fictional portrait of a target customer, reusable across plans.

use sea_orm::entity::prelude::*;

use crate::json_lists::{LeverList, StringList};

/// A persona row (seed 003, step 2).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "personas")]
pub struct Model {
    /// Owning tenant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    /// Identity (UUID v7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name ("Sophie, 34, e-commerce manager").
    pub name: String,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Lower bound of the age range.
    pub age_min: Option<i32>,
    /// Upper bound of the age range.
    pub age_max: Option<i32>,
    /// Gender, as the team describes it.
    pub gender: Option<String>,
    /// Where they live or work.
    pub location: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Income band.
    pub income_band: Option<String>,
    /// Education.
    pub education: Option<String>,
    /// Behaviours (online habits, buying habits).
    pub behaviors: StringList,
    /// Values (psychographics).
    pub values: StringList,
    /// Interests (psychographics).
    pub interests: StringList,
    /// Lifestyle (psychographics).
    pub lifestyle: Option<String>,
    /// Goals.
    pub goals: StringList,
    /// Motivations.
    pub motivations: StringList,
    /// Needs.
    pub needs: StringList,
    /// Pain points.
    pub pain_points: StringList,
    /// Objections to buying.
    pub objections: StringList,
    /// Levers that reach this persona best.
    pub preferred_levers: LeverList,
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
    /// The persona in `row`, read by position: the row's first columns must be the table's,
    /// in the order of [`Column`] (the order SeaORM selects them in), extra columns after them
    /// ignored. For the same reason as `campaign::Model::from_row_by_position`: a nested read
    /// builds hundreds of personas, and the derived decoding looked each of their 26 columns up
    /// by name and formatted the name of each NULL one into an error it then discarded. The
    /// store checks, in debug builds, that both decodings agree on every persona it reads so.
    pub fn from_row_by_position(row: &QueryResult) -> Result<Self, DbErr> {
        Ok(Self {
            tenant_id: row.try_get_by_index(0)?,
            id: row.try_get_by_index(1)?,
            name: row.try_get_by_index(2)?,
            summary: row.try_get_by_index(3)?,
            age_min: row.try_get_by_index(4)?,
            age_max: row.try_get_by_index(5)?,
            gender: row.try_get_by_index(6)?,
            location: row.try_get_by_index(7)?,
            occupation: row.try_get_by_index(8)?,
            income_band: row.try_get_by_index(9)?,
            education: row.try_get_by_index(10)?,
            behaviors: row.try_get_by_index(11)?,
            values: row.try_get_by_index(12)?,
            interests: row.try_get_by_index(13)?,
            lifestyle: row.try_get_by_index(14)?,
            goals: row.try_get_by_index(15)?,
            motivations: row.try_get_by_index(16)?,
            needs: row.try_get_by_index(17)?,
            pain_points: row.try_get_by_index(18)?,
            objections: row.try_get_by_index(19)?,
            preferred_levers: row.try_get_by_index(20)?,
            external_source: row.try_get_by_index(21)?,
            external_id: row.try_get_by_index(22)?,
            version: row.try_get_by_index(23)?,
            created_at: row.try_get_by_index(24)?,
            updated_at: row.try_get_by_index(25)?,
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
                "name",
                "summary",
                "age_min",
                "age_max",
                "gender",
                "location",
                "occupation",
                "income_band",
                "education",
                "behaviors",
                "values",
                "interests",
                "lifestyle",
                "goals",
                "motivations",
                "needs",
                "pain_points",
                "objections",
                "preferred_levers",
                "external_source",
                "external_id",
                "version",
                "created_at",
                "updated_at",
            ]
        );
    }
}
