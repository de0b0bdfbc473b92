//! Bulk CSV exports for BI tools: `GET /export/…csv` with the filters of `kpiSeries` as query
//! parameters, a JWT or an API key, and rows streamed as they are read.

pub mod measurements;
