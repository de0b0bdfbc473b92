//! Bulk CSV exports for BI tools: `GET /export/…csv` with the filters of `kpiSeries` as query
//! parameters, a JWT or an API key, a header row, ISO dates and plain decimal numbers, and rows
//! streamed as they are produced. Both read their query strings with [`params`], by one rule.

pub mod kpi_series;
pub mod measurements;
pub mod params;
