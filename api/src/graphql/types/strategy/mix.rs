//! `MarketingMixEntry`: the text a plan gives one dimension of its marketing mix.

use async_graphql::Object;
use entity::{marketing_mix_entry, strategy_enums::MixDimension};

use crate::graphql::scalars::DateTime;

/// One dimension of a plan's marketing mix (the 4P and the six e-marketing P's) and what the
/// plan says about it; `text` is null while the dimension is unset. Written with
/// `setMarketingMix`.
#[derive(Debug, Clone)]
pub struct MarketingMixEntry {
    /// The dimension.
    pub dimension: MixDimension,
    /// Its row, when set.
    pub entry: Option<marketing_mix_entry::Model>,
}

/// One dimension of a plan's marketing mix (the 4P and the six e-marketing P's) and what the
/// plan says about it; `text` is null while the dimension is unset. Written with
/// `setMarketingMix`.
#[Object]
impl MarketingMixEntry {
    /// The dimension.
    async fn dimension(&self) -> MixDimension {
        self.dimension
    }

    /// What the plan says about this dimension; null when unset.
    async fn text(&self) -> Option<&str> {
        self.entry.as_ref().map(|entry| entry.text.as_str())
    }

    /// When the text was last set; null when unset.
    async fn updated_at(&self) -> Option<DateTime> {
        self.entry.as_ref().map(|entry| DateTime(entry.updated_at))
    }
}
