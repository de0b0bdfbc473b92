//! `recordMeasurements`.

use std::borrow::Cow;

use async_graphql::{
    ContainerType, Context, ContextSelectionSet, Object, ObjectType, OutputType, Positioned,
    Result, ServerResult, SimpleObject, Value, parser::types::Field, registry::Registry,
    resolver_utils::resolve_container,
};

use crate::{
    domain,
    graphql::{
        context::session,
        errors::{UserError, into_payload},
        inputs::kpi::measurement::RecordMeasurementsInput,
        types::Measurement,
    },
    observability::metrics,
};

/// The result of `recordMeasurements`. With user errors, nothing was written and the counts
/// are 0.
#[derive(SimpleObject)]
pub struct RecordMeasurementsPayload {
    /// Rows added.
    pub inserted: i32,
    /// Rows that replaced an earlier row with the same source and external id.
    pub updated: i32,
    /// The rows as stored, in input order; empty when there are user errors.
    pub measurements: Vec<Measurement>,
    /// Problems with the input, each at `["input", "measurements", "<index>", "<field>"]`;
    /// when not empty, nothing was written.
    pub user_errors: Vec<UserError>,
}

/// Mutations of measurements: [`MeasurementMutation`]'s field, with its `input` read in place
/// from the request's variables when it comes as one (see
/// [`RecordMeasurementsInput::read_in_place`]). The schema sees [`MeasurementMutation`] itself:
/// this type registers nothing of its own.
#[derive(Default)]
pub struct MeasurementMutations(MeasurementMutation);

impl ContainerType for MeasurementMutations {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        let Some(input) = input_in_place(ctx) else {
            return self.0.resolve_field(ctx).await;
        };
        #[cfg(debug_assertions)]
        {
            // The engine's way, to compare: every test that records measurements checks that
            // reading in place gives the same input.
            let engine = ctx
                .param_value::<RecordMeasurementsInput>("input", None)
                .map(|(_, engine)| format!("{engine:?}"))
                .map_err(|error| error.message);
            assert_eq!(
                Ok(format!("{input:?}")),
                engine,
                "recordMeasurements' input read in place differs from the engine's"
            );
        }
        // As the `#[Object]` macro resolves a field, from its resolver's answer on.
        let payload = record_measurements(ctx, input)
            .await
            .map_err(|error| ctx.set_error_path(error.into_server_error(ctx.item.pos)))?;
        let selection = ctx.with_selection_set(&ctx.item.node.selection_set);
        OutputType::resolve(&payload, &selection, ctx.item)
            .await
            .map(Some)
    }
}

/// `recordMeasurements`' `input` read in place, when the field is `recordMeasurements` and its
/// `input` is a variable the request gives a value for that can be read so; `None` otherwise
/// (another field, an input written in the document, a variable's default value, a value the
/// engine's parse would refuse or coerce).
fn input_in_place(ctx: &Context<'_>) -> Option<RecordMeasurementsInput> {
    if ctx.item.node.name.node != "recordMeasurements" {
        return None;
    }
    let (_, argument) = ctx
        .item
        .node
        .arguments
        .iter()
        .find(|(name, _)| name.node == "input")?;
    let async_graphql_value::Value::Variable(variable) = &argument.node else {
        return None;
    };
    // The request's variables are public in async-graphql 7 but hidden from its documentation,
    // like the rest of what its derives use: an upgrade that changed them would fail the debug
    // builds' comparison above in every test that records measurements.
    RecordMeasurementsInput::read_in_place(ctx.query_env.variables.get(variable)?)
}

impl OutputType for MeasurementMutations {
    fn type_name() -> Cow<'static, str> {
        MeasurementMutation::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        MeasurementMutation::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        resolve_container(ctx, self).await
    }
}

impl ObjectType for MeasurementMutations {}

/// Mutations of measurements.
#[derive(Default)]
pub struct MeasurementMutation;

#[Object]
impl MeasurementMutation {
    /// Records up to 1000 measurements in one transaction: all of them or none (EDITOR, ADMIN,
    /// or an API key with the WRITE_MEASUREMENTS scope). A row whose (source, externalId) was
    /// recorded before replaces it and counts as updated, so an ingestion job can be re-run
    /// safely.
    async fn record_measurements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measurements to record.")] input: RecordMeasurementsInput,
    ) -> Result<RecordMeasurementsPayload> {
        record_measurements(ctx, input).await
    }
}

/// `recordMeasurements`, whichever way its input was read.
async fn record_measurements(
    ctx: &Context<'_>,
    input: RecordMeasurementsInput,
) -> Result<RecordMeasurementsPayload> {
    let count = input.measurements.len() as u64;
    let rows = input.measurements.into_iter().map(Into::into).collect();
    let (recorded, user_errors) =
        into_payload(domain::kpi::measurement::record(session(ctx)?, rows).await)?;
    match &recorded {
        Some(recorded) => {
            metrics::measurements_ingested(recorded.inserted as u64, recorded.updated as u64)
        }
        None => metrics::measurements_refused(count),
    }
    let recorded = recorded.unwrap_or_default();
    Ok(RecordMeasurementsPayload {
        inserted: i32::try_from(recorded.inserted).unwrap_or(i32::MAX),
        updated: i32::try_from(recorded.updated).unwrap_or(i32::MAX),
        measurements: recorded
            .rows
            .into_iter()
            .map(|(row, _)| Measurement(row))
            .collect(),
        user_errors,
    })
}
