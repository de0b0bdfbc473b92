//! `AttributionReport` and `AttributionRow`: conversions credited to levers or campaigns.

use async_graphql::{Context, ID, Object, Result};
use entity::enums::Lever;

use super::Campaign;
use crate::{
    domain::attribution::{Report, ReportRow, report::units_as_conversions},
    graphql::{
        context::{loaders, tenant_currency},
        scalars::Decimal,
    },
    ids::{self, NodeType},
};

/// Micros as an amount of the tenant's currency, which conversion values are recorded in
/// (sums of a report can exceed 64 bits of micros); beyond a decimal's range, refused as the
/// request's problem (narrow it), never rounded.
async fn amount(ctx: &Context<'_>, micros: i128) -> Result<Decimal> {
    let currency = tenant_currency(ctx).await?;
    Ok(Decimal::amount(micros, &currency)?)
}

/// One row of an attribution report: the conversions and value credited to a lever or a
/// campaign, and its assists. The row with neither lever nor campaign holds the conversions
/// without any touch in their window (and, by campaign, the touches without a campaign).
#[derive(Debug, Clone)]
pub struct AttributionRow(pub ReportRow);

/// One row of an attribution report: the conversions and value credited to a lever or a
/// campaign, and its assists. The row with neither lever nor campaign holds the conversions
/// without any touch in their window (and, by campaign, the touches without a campaign).
#[Object]
impl AttributionRow {
    /// The lever, when grouping by LEVER; null on the unattributed row and when grouping by
    /// CAMPAIGN.
    async fn lever(&self) -> Option<Lever> {
        self.0.lever
    }

    /// Global ID of the campaign, when grouping by CAMPAIGN; null on the row of the touches
    /// without a campaign (and of the unattributed conversions).
    async fn campaign_id(&self) -> Option<ID> {
        self.0
            .campaign_id
            .map(|id| ids::encode(NodeType::Campaign, id))
    }

    /// The campaign itself (read access to plans needed), when grouping by CAMPAIGN; null
    /// when `campaignId` is.
    async fn campaign(&self, ctx: &Context<'_>) -> Result<Option<Campaign>> {
        let Some(id) = self.0.campaign_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .campaign
            .load_one(id)
            .await?
            .map(Campaign::from))
    }

    /// Conversions credited: a multiple of 2^-30, exact, so that the rows add up to
    /// `totalConversions` exactly in floating point, in any order.
    async fn conversions(&self) -> f64 {
        units_as_conversions(self.0.units)
    }

    /// Conversion value credited, exact to the micro, in the tenant's currency; the rows add
    /// up to `totalValue`.
    async fn value(&self, ctx: &Context<'_>) -> Result<Decimal> {
        amount(ctx, self.0.value_micros).await
    }

    /// Touches of the row, in the windows of the conversions of the range, that were not the
    /// last touch of their conversion (a touch in the windows of two conversions counts for
    /// each). Whatever the model: it shows how levers feed each other.
    async fn assists(&self) -> i64 {
        i64::try_from(self.0.assists).unwrap_or(i64::MAX)
    }
}

/// Conversions of a time range credited to levers or campaigns under one model. Each
/// conversion's count and value are split into integer parts (2^-30 of a conversion, micros of
/// value) by the largest-remainder method, so the rows always add up exactly to the totals.
#[derive(Debug, Clone)]
pub struct AttributionReport(pub Report);

/// Conversions of a time range credited to levers or campaigns under one model. Each
/// conversion's count and value are split into integer parts (2^-30 of a conversion, micros of
/// value) by the largest-remainder method, so the rows always add up exactly to the totals.
#[Object]
impl AttributionReport {
    /// The rows, by credited conversions (highest first), then by lever (in the order of
    /// `Lever`) or campaign ID, the row without lever or campaign last among equals. A lever or
    /// campaign with assists but no credit has a row with 0 conversions.
    async fn rows(&self) -> Vec<AttributionRow> {
        self.0.rows.iter().cloned().map(AttributionRow).collect()
    }

    /// The currency (ISO 4217) of every value of the report: the tenant's, which conversion
    /// values are recorded in.
    async fn currency(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(tenant_currency(ctx).await?)
    }

    /// Number of conversions in the range; the rows' `conversions` add up to it exactly.
    async fn total_conversions(&self) -> f64 {
        units_as_conversions(self.0.total_units)
    }

    /// Their total value, in the tenant's currency; the rows' `value` add up to it exactly.
    async fn total_value(&self, ctx: &Context<'_>) -> Result<Decimal> {
        amount(ctx, self.0.total_value_micros).await
    }

    /// Conversions without any touch in their lookback window (credited to the row without
    /// lever or campaign).
    async fn unattributed_conversions(&self) -> f64 {
        units_as_conversions(self.0.unattributed_units)
    }

    /// The value of those conversions, in the tenant's currency.
    async fn unattributed_value(&self, ctx: &Context<'_>) -> Result<Decimal> {
        amount(ctx, self.0.unattributed_value_micros).await
    }
}
