//! Inputs of `recordMeasurements`.

use async_graphql::{ID, InputObject, InputType, Value};
use entity::enums::{Lever, TimeGrain};

use crate::{
    domain::kpi::measurement::NewMeasurement,
    graphql::scalars::{Date, Decimal},
    ids::{self, NodeType},
};

/// A batch of measurements, written all together or not at all.
#[derive(Debug, InputObject)]
pub struct RecordMeasurementsInput {
    /// Up to 1000 measurements.
    pub measurements: Vec<MeasurementInput>,
}

/// One value of one base KPI.
#[derive(Debug, InputObject)]
pub struct MeasurementInput {
    /// Key of a base KPI (derived KPIs such as `ctr` are computed, never recorded).
    pub kpi_key: String,
    /// The day measured, or the first day of the period when `grain` is coarser.
    pub date: Date,
    /// The value, in the KPI's unit, with at most 6 decimal places.
    pub value: Decimal,
    /// Where it comes from (`manual`, `ga4`, `meta_ads`…).
    pub source: String,
    /// The source's own key: re-sending the same (source, externalId) updates the value instead
    /// of adding a row. Without it, every call adds a row.
    pub external_id: Option<String>,
    /// Global ID of the campaign measured.
    pub campaign_id: Option<ID>,
    /// Global ID of the action measured.
    pub action_id: Option<ID>,
    /// The lever measured.
    pub lever: Option<Lever>,
    /// Global ID of the persona measured.
    pub persona_id: Option<ID>,
    /// The period the value covers; `DAY` by default. Non-additive KPIs (reach, unique users)
    /// only count at the grain they were measured at.
    pub grain: Option<TimeGrain>,
    /// The currency of `value` (ISO 4217), for a KPI of unit CURRENCY only (INVALID on any
    /// other); omitted, the value is in the tenant's reporting currency (`Tenant.currency`).
    /// Another currency is converted with the tenant's exchange rate of `date` (else the latest
    /// of the 7 days before; RATE_MISSING when there is none, and nothing is written), rounded
    /// once to the reporting currency's minor units, a midpoint away from zero; the row keeps
    /// the value as sent and the rate used.
    pub currency: Option<String>,
}

impl RecordMeasurementsInput {
    /// The input read in place from the request's value of its variable, field by field as the
    /// derived `InputType::parse` reads it, without the two copies of the whole value the engine
    /// makes to pass an argument (one of the variable, then one of each field as the input
    /// object is built): for a batch of 1 000 rows those copies and their freeing were about a
    /// quarter of the server's instructions. `None` for any value the derived parse would not
    /// take as it is (not an object, a row that is not an object, a list given as a single
    /// row, a field it refuses): the caller then goes the engine's way, which answers exactly
    /// as before.
    pub fn read_in_place(value: &Value) -> Option<Self> {
        let Value::Object(input) = value else {
            return None;
        };
        let Value::List(rows) = input.get("measurements")? else {
            return None;
        };
        Some(Self {
            measurements: rows
                .iter()
                .map(MeasurementInput::read_in_place)
                .collect::<Option<_>>()?,
        })
    }
}

impl MeasurementInput {
    /// One row read in place; see [`RecordMeasurementsInput::read_in_place`]. The row's
    /// entries are gone through once, rather than looked up by name (a hash of the name) field
    /// by field: the same values, as an object's keys are unique.
    fn read_in_place(value: &Value) -> Option<Self> {
        /// One field, parsed from a copy of its own value only, as the derive does.
        fn field<T: InputType>(value: Option<&Value>) -> Option<T> {
            T::parse(value.cloned()).ok()
        }
        let Value::Object(row) = value else {
            return None;
        };
        let mut fields: [Option<&Value>; 11] = [None; 11];
        for (name, value) in row {
            let index = match name.as_str() {
                "kpiKey" => 0,
                "date" => 1,
                "value" => 2,
                "source" => 3,
                "externalId" => 4,
                "campaignId" => 5,
                "actionId" => 6,
                "lever" => 7,
                "personaId" => 8,
                "grain" => 9,
                "currency" => 10,
                _ => continue,
            };
            fields[index] = Some(value);
        }
        let [
            kpi_key,
            date,
            value,
            source,
            external_id,
            campaign_id,
            action_id,
            lever,
            persona_id,
            grain,
            currency,
        ] = fields;
        Some(Self {
            kpi_key: field(kpi_key)?,
            date: field(date)?,
            value: field(value)?,
            source: field(source)?,
            external_id: field(external_id)?,
            campaign_id: field(campaign_id)?,
            action_id: field(action_id)?,
            lever: field(lever)?,
            persona_id: field(persona_id)?,
            grain: field(grain)?,
            currency: field(currency)?,
        })
    }
}

impl From<MeasurementInput> for NewMeasurement {
    fn from(input: MeasurementInput) -> Self {
        Self {
            kpi_key: input.kpi_key,
            date: input.date.0,
            grain: input.grain.unwrap_or(TimeGrain::Day),
            value: input.value.0,
            source: input.source,
            external_id: input.external_id,
            campaign_id: input
                .campaign_id
                .map(|id| ids::decode_link(&id, NodeType::Campaign)),
            action_id: input
                .action_id
                .map(|id| ids::decode_link(&id, NodeType::Action)),
            lever: input.lever,
            persona_id: input
                .persona_id
                .map(|id| ids::decode_link(&id, NodeType::Persona)),
            currency: input.currency,
        }
    }
}

/// Which measurements to list; every condition given must hold.
#[derive(Debug, Default, InputObject)]
pub struct MeasurementFilter {
    /// Only these KPIs.
    pub kpi_keys: Option<Vec<String>>,
    /// Only periods starting on or after this day.
    pub from: Option<Date>,
    /// Only periods starting on or before this day.
    pub to: Option<Date>,
    /// Only measurements counting for this plan (through their campaign or action).
    pub plan_id: Option<ID>,
    /// Only these campaigns'.
    pub campaign_ids: Option<Vec<ID>>,
    /// Only these levers'.
    pub levers: Option<Vec<Lever>>,
    /// Only these personas'.
    pub persona_ids: Option<Vec<ID>>,
    /// Only from this source.
    pub source: Option<String>,
}

impl From<MeasurementFilter> for crate::store::kpi::measurement::MeasurementFilter {
    /// IDs of the wrong type become the nil UUID, which matches nothing.
    fn from(filter: MeasurementFilter) -> Self {
        Self {
            kpi_keys: filter.kpi_keys.unwrap_or_default(),
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
            plan_id: filter
                .plan_id
                .map(|id| ids::decode_link(&id, NodeType::Plan)),
            campaign_ids: ids::decode_links(
                &filter.campaign_ids.unwrap_or_default(),
                NodeType::Campaign,
            ),
            levers: filter.levers.unwrap_or_default(),
            persona_ids: ids::decode_links(
                &filter.persona_ids.unwrap_or_default(),
                NodeType::Persona,
            ),
            source: filter.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{InputType, Value};

    use super::RecordMeasurementsInput;

    fn value(json: serde_json::Value) -> Value {
        Value::from_json(json).unwrap_or_else(|error| panic!("{error}"))
    }

    /// What the engine's parse makes of `input`, and what reading in place makes of it.
    fn both(input: &Value) -> (Option<String>, Option<String>) {
        (
            RecordMeasurementsInput::parse(Some(input.clone()))
                .ok()
                .map(|engine| format!("{engine:?}")),
            RecordMeasurementsInput::read_in_place(input).map(|read| format!("{read:?}")),
        )
    }

    #[test]
    fn reading_in_place_gives_what_the_engine_parses() {
        let campaign = crate::ids::encode(crate::ids::NodeType::Campaign, uuid::Uuid::now_v7()).0;
        let input = value(serde_json::json!({ "measurements": [
            {
                "kpiKey": "spend", "date": "2027-03-01", "value": "12.5", "source": "ga4",
                "externalId": "e-1", "campaignId": campaign, "actionId": "not an id",
                "lever": "SEA", "personaId": null, "grain": "MONTH", "currency": "USD",
                "unknown": [1, 2],
            },
            { "kpiKey": "clicks", "date": "2027-03-02", "value": 7, "source": "manual" },
        ] }));
        let (engine, read) = both(&input);
        assert!(engine.is_some());
        assert_eq!(read, engine);
    }

    #[test]
    fn what_reading_in_place_does_not_take_is_left_to_the_engine() {
        for input in [
            // A single row where a list is expected: the engine coerces it into a list.
            serde_json::json!({ "measurements": { "kpiKey": "clicks", "date": "2027-03-02",
                "value": "1", "source": "manual" } }),
            // A date the scalar refuses.
            serde_json::json!({ "measurements": [{ "kpiKey": "clicks", "date": "2027-13-02",
                "value": "1", "source": "manual" }] }),
            // A row that is not an object, and no rows at all.
            serde_json::json!({ "measurements": [1] }),
            serde_json::json!({}),
        ] {
            assert_eq!(
                RecordMeasurementsInput::read_in_place(&value(input.clone())).map(|_| ()),
                None,
                "{input}"
            );
        }
    }
}
