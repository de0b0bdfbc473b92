//! `[KpiPoint!]!`, the answer of `kpiSeries`, written point by point without the engine's
//! per-field machinery when only scalars are selected.
//!
//! A day × campaign series has up to 10 000 points. The engine resolves a list of objects item
//! by item: for every point a path node and a boxed future, then for every selected field
//! another boxed future, a match of the field's name against the type's and an insertion into
//! the point's map as the futures complete. Counted with callgrind on a series of 9 720 points,
//! that took 58 % of the request's instructions, seven times what reading the points' cells
//! took. The fields of a point are plain values, so the selection is read once for the whole
//! list here ([`Columns`]), and each point's map is written in that order: 11 700 instructions
//! a point before, 4 700 after (bench/README.md, "Points written by columns").
//!
//! The engine stays in charge wherever it does more than that: a selection of the `campaign`
//! object (a DataLoader per point), a field with a directive of the schema's own (the
//! document's `@skip` and `@include` are applied before execution), a fragment the point would
//! not match, and every schema with extensions (the traced schema records a span per field;
//! subscriptions and operations over the WebSocket keep the engine's path). Debug builds also
//! resolve every list the engine's way and fail if the two answers differ, so every test of
//! the series checks this module.

use std::{borrow::Cow, collections::HashMap};

use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
    indexmap::IndexMap,
    parser::types::{Field, FragmentDefinition, Selection, SelectionSet},
    registry::Registry,
    resolver_utils::resolve_list,
};

use super::series::KpiPoint;
use crate::graphql::WithoutExtensions;

/// The points of a series, as `kpiSeries` returns them.
pub struct KpiPoints(pub Vec<KpiPoint>);

/// A scalar field of `KpiPoint` (or `__typename`).
#[derive(Debug, Clone, Copy)]
enum Column {
    Typename,
    KpiKey,
    PeriodStart,
    Value,
    CampaignId,
    Lever,
    PersonaId,
    ActionId,
}

impl Column {
    /// The column of a field, `None` for a field that is not a scalar of `KpiPoint`.
    fn of(field_name: &str) -> Option<Self> {
        Some(match field_name {
            "__typename" => Self::Typename,
            "kpiKey" => Self::KpiKey,
            "periodStart" => Self::PeriodStart,
            "value" => Self::Value,
            "campaignId" => Self::CampaignId,
            "lever" => Self::Lever,
            "personaId" => Self::PersonaId,
            "actionId" => Self::ActionId,
            _ => return None,
        })
    }

    /// The value of this field of `point`, as the field's resolver in `series` gives it.
    fn value(self, point: &KpiPoint) -> Value {
        let id = |id: Option<async_graphql::ID>| id.map_or(Value::Null, |id| Value::String(id.0));
        match self {
            Self::Typename => Value::String(KpiPoint::type_name().into_owned()),
            Self::KpiKey => Value::String(point.kpi_key_text().to_owned()),
            Self::PeriodStart => async_graphql::ScalarType::to_value(&point.period_start_date()),
            Self::Value => point.plain_value().map_or(Value::Null, |value| {
                async_graphql::ScalarType::to_value(&value)
            }),
            Self::CampaignId => id(point.encoded_campaign_id()),
            Self::Lever => point.lever_value().map_or(Value::Null, |lever| {
                async_graphql::InputType::to_value(&lever)
            }),
            Self::PersonaId => id(point.encoded_persona_id()),
            Self::ActionId => id(point.encoded_action_id()),
        }
    }
}

/// The response keys of a point's selection and their columns, in the order the answer lists
/// them (the first occurrence of a key; validation made every occurrence the same field).
struct Columns(Vec<(Name, Column)>);

impl Columns {
    /// The columns of the selection of `kpiSeries`, or `None` where the engine must resolve
    /// the points (see the module's note).
    fn of(ctx: &ContextSelectionSet<'_>) -> Option<Self> {
        ctx.data_opt::<WithoutExtensions>()?;
        let mut columns = Self(Vec::new());
        columns.add(&ctx.query_env.fragments, &ctx.item.node)?;
        (!columns.0.is_empty()).then_some(columns)
    }

    fn add(
        &mut self,
        fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
        selection_set: &SelectionSet,
    ) -> Option<()> {
        let applies = |type_name: &str| type_name == KpiPoint::type_name();
        for selection in &selection_set.items {
            match &selection.node {
                Selection::Field(field) => {
                    if !field.node.directives.is_empty() {
                        return None;
                    }
                    let column = Column::of(field.node.name.node.as_str())?;
                    let key = &field.node.response_key().node;
                    if !self.0.iter().any(|(known, _)| known == key) {
                        self.0.push((key.clone(), column));
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = fragments.get(&spread.node.fragment_name.node)?;
                    if !applies(&fragment.node.type_condition.node.on.node) {
                        return None;
                    }
                    self.add(fragments, &fragment.node.selection_set.node)?;
                }
                Selection::InlineFragment(fragment) => {
                    if let Some(condition) = &fragment.node.type_condition
                        && !applies(&condition.node.on.node)
                    {
                        return None;
                    }
                    self.add(fragments, &fragment.node.selection_set.node)?;
                }
            }
        }
        Some(())
    }

    /// The answer's object for one point.
    fn row(&self, point: &KpiPoint) -> Value {
        let mut row = IndexMap::with_capacity(self.0.len());
        for (key, column) in &self.0 {
            row.insert(key.clone(), column.value(point));
        }
        Value::Object(row)
    }
}

impl OutputType for KpiPoints {
    fn type_name() -> Cow<'static, str> {
        <Vec<KpiPoint>>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<KpiPoint>>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<KpiPoint>>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let Some(columns) = Columns::of(ctx) else {
            return resolve_list(ctx, field, &self.0, Some(self.0.len())).await;
        };
        let answer = Value::List(self.0.iter().map(|point| columns.row(point)).collect());
        #[cfg(debug_assertions)]
        {
            // Compared as JSON text: a map's equality ignores the order of its keys.
            let engine = resolve_list(ctx, field, &self.0, Some(self.0.len())).await?;
            let text = |value: &Value| serde_json::to_string(value).unwrap_or_default();
            assert_eq!(
                text(&answer),
                text(&engine),
                "kpiSeries' points written by columns differ from the engine's"
            );
        }
        Ok(answer)
    }
}
