//! `MeasurementEvent`: what the `measurementRecorded` subscription delivers.

use async_graphql::{Enum, Object};

use crate::events;
use crate::graphql::types::Measurement;

/// Whether a recorded measurement was new or replaced an earlier value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum MeasurementChange {
    /// A new measurement.
    Inserted,
    /// The same (source, externalId) recorded again: its value was replaced.
    Updated,
}

/// A measurement that a committed `recordMeasurements` batch wrote.
#[derive(Debug, Clone)]
pub struct MeasurementEvent(pub events::MeasurementEvent);

/// A measurement that a committed `recordMeasurements` batch wrote, and whether it was new.
#[Object]
impl MeasurementEvent {
    /// Whether the measurement was inserted or updated.
    async fn change(&self) -> MeasurementChange {
        match self.0.change {
            events::MeasurementChange::Inserted => MeasurementChange::Inserted,
            events::MeasurementChange::Updated => MeasurementChange::Updated,
        }
    }

    /// The measurement as written.
    async fn measurement(&self) -> Measurement {
        Measurement(self.0.measurement.clone())
    }
}
