//! Bulk exports for BI tools: flat CSV files with a header row, ISO dates and plain decimal
//! numbers, streamed, with the API's credentials (a JWT or an API key).

pub mod kpi_series;
