//! Inputs of `recordMeasurements`.

use async_graphql::{ID, InputObject, InputType, Name, Value, indexmap::IndexMap};
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
    /// One row read in place; see [`RecordMeasurementsInput::read_in_place`].
    fn read_in_place(value: &Value) -> Option<Self> {
        /// One field, parsed from a copy of its own value only, as the derive does.
        fn field<T: InputType>(row: &IndexMap<Name, Value>, name: &str) -> Option<T> {
            T::parse(row.get(name).cloned()).ok()
        }
        let Value::Object(row) = value else {
            return None;
        };
        Some(Self {
            kpi_key: field(row, "kpiKey")?,
            date: field(row, "date")?,
            value: field(row, "value")?,
            source: field(row, "source")?,
            external_id: field(row, "externalId")?,
            campaign_id: field(row, "campaignId")?,
            action_id: field(row, "actionId")?,
            lever: field(row, "lever")?,
            persona_id: field(row, "personaId")?,
            grain: field(row, "grain")?,
            currency: field(row, "currency")?,
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
