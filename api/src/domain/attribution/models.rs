//! The pure maths of attribution: how each model weighs the touches of one conversion, and how
//! a conversion's count and value are split into integer parts that add up to it exactly.
//!
//! # Exactness
//! A conversion is never split into floats. Its count, 1, is [`UNITS_PER_CONVERSION`] = 2^30
//! integer units, and its value is its integer micros; each is apportioned over the touches by
//! the **largest-remainder method** ([`apportion`]): every touch gets the floor of its exact
//! quota, and the units still missing go one each to the touches with the largest remainders
//! (ties to the earlier touch). The parts of every conversion therefore add up to it exactly,
//! and so do the sums per row. A row's count of conversions is then `units / 2^30`: a multiple
//! of 2^-30, which an `f64` holds exactly, and sums of such numbers stay exact as long as they
//! stay below 2^23 (53 bits of mantissa minus 30) — which the report guarantees by reading at
//! most a million conversions. So a client that adds up the rows' `conversions` in any order
//! gets `totalConversions` to the last bit, and the rows' values (exact decimals) add up to
//! `totalValue`.
//!
//! The weights themselves are exact integers too ([`weights`]): 1 per touch for `LINEAR`, parts
//! per billion for `POSITION_BASED` (so that 0.4 is exactly 400 000 000), and, for
//! `TIME_DECAY`, 2^(−Δdays / half-life) relative to the latest touch, scaled by 2^40 and rounded
//! once. Quotas are computed in 128-bit integers, so no rounding happens after that.

/// Integer units a conversion's count of 1 is split into: 2^30.
pub const UNITS_PER_CONVERSION: u64 = 1 << 30;

/// The resolution of position weights: parts per billion.
pub const PARTS_PER_UNIT: u64 = 1_000_000_000;

/// The resolution of time-decay weights: the latest touch weighs 2^40.
const DECAY_SCALE: f64 = (1u64 << 40) as f64;

/// How credit for a conversion is shared among the touches of its lookback window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributionModel {
    /// Everything to the first touch.
    FirstTouch,
    /// Everything to the last touch.
    LastTouch,
    /// An equal share to each touch.
    Linear,
    /// A share to the first touch, a share to the last, the rest equally to the ones between
    /// (40 / 20 / 40 by default).
    PositionBased,
    /// Weight 2^(−days before the conversion / half-life), normalised.
    TimeDecay,
}

/// The first and last touch's shares in the position-based model, in parts per billion; the
/// touches between share the rest equally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionWeights {
    /// The first touch's share, in parts per billion.
    pub first: u64,
    /// The last touch's share, in parts per billion.
    pub last: u64,
}

impl PositionWeights {
    /// 40 % to the first touch, 40 % to the last.
    pub const DEFAULT: Self = Self {
        first: 400_000_000,
        last: 400_000_000,
    };

    /// The weights for fractions `first` and `last` (each in [0, 1], rounded to the nearest
    /// billionth), or `None` when one is out of range or they add up to more than 1.
    pub fn from_fractions(first: f64, last: f64) -> Option<Self> {
        let parts = |fraction: f64| {
            (fraction.is_finite() && (0.0..=1.0).contains(&fraction))
                .then(|| (fraction * PARTS_PER_UNIT as f64).round() as u64)
        };
        let weights = Self {
            first: parts(first)?,
            last: parts(last)?,
        };
        (weights.first + weights.last <= PARTS_PER_UNIT).then_some(weights)
    }
}

/// A model with its settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelSettings {
    /// The model.
    pub model: AttributionModel,
    /// First and last shares, for [`AttributionModel::PositionBased`].
    pub position: PositionWeights,
    /// The half-life in days (positive), for [`AttributionModel::TimeDecay`].
    pub half_life_days: f64,
}

/// The integer weights of the touches of one conversion, in time order, under `settings`.
/// `days_before` holds each touch's age at the conversion, in (fractional) days, not negative;
/// only the time-decay model reads it. Not all zero unless `days_before` is empty.
pub fn weights(settings: &ModelSettings, days_before: &[f64]) -> Vec<u128> {
    let count = days_before.len();
    let mut weights = vec![0u128; count];
    if count == 0 {
        return weights;
    }
    match settings.model {
        AttributionModel::FirstTouch => weights[0] = 1,
        AttributionModel::LastTouch => weights[count - 1] = 1,
        AttributionModel::Linear => weights.fill(1),
        AttributionModel::PositionBased => position_based(settings.position, &mut weights),
        AttributionModel::TimeDecay => {
            // Relative to the latest touch, so that the largest weight is exactly the scale
            // whatever the ages (no underflow to all zeros).
            let youngest = days_before.iter().copied().fold(f64::INFINITY, f64::min);
            for (weight, age) in weights.iter_mut().zip(days_before) {
                let decay = (-(age - youngest) / settings.half_life_days).exp2();
                *weight = (decay * DECAY_SCALE).round() as u128;
            }
        }
    }
    weights
}

fn position_based(position: PositionWeights, weights: &mut [u128]) {
    let count = weights.len();
    let (first, last) = (u128::from(position.first), u128::from(position.last));
    match count {
        1 => weights[0] = 1,
        2 if first + last == 0 => weights.fill(1),
        2 => {
            weights[0] = first;
            weights[1] = last;
        }
        _ => {
            // Everything in parts per billion times (count − 2), so that each middle touch's
            // equal share of the rest is an integer.
            let middle = (count - 2) as u128;
            weights.fill(u128::from(PARTS_PER_UNIT) - first - last);
            weights[0] = first * middle;
            weights[count - 1] = last * middle;
        }
    }
}

/// Splits `total` in proportion to `weights` by the largest-remainder method: each part is the
/// floor of its exact quota `total × weight / Σweights`, and the units left go one each to the
/// largest remainders, ties to the earlier index. The parts add up to `total` exactly, and a
/// zero weight gets nothing. All-zero weights are taken as equal.
pub fn apportion(total: u64, weights: &[u128]) -> Vec<u64> {
    let sum: u128 = weights.iter().sum();
    if weights.is_empty() {
        return Vec::new();
    }
    if sum == 0 {
        return apportion(total, &vec![1; weights.len()]);
    }
    let total_wide = u128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in weights.iter().enumerate() {
        let product = total_wide * weight;
        // product / sum ≤ total, which fits in u64.
        parts.push(u64::try_from(product / sum).unwrap_or(u64::MAX));
        remainders.push((product % sum, index));
    }
    let given: u64 = parts.iter().sum();
    let missing = usize::try_from(total - given).unwrap_or(usize::MAX);
    // Largest remainder first, the earlier touch first among equals.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take(missing) {
        parts[index] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(model: AttributionModel) -> ModelSettings {
        ModelSettings {
            model,
            position: PositionWeights::DEFAULT,
            half_life_days: 7.0,
        }
    }

    fn split(model: AttributionModel, total: u64, days_before: &[f64]) -> Vec<u64> {
        apportion(total, &weights(&settings(model), days_before))
    }

    #[test]
    fn single_touch_models_give_everything_to_one_end() {
        let ages = [9.0, 5.0, 1.0];
        assert_eq!(split(AttributionModel::FirstTouch, 100, &ages), [100, 0, 0]);
        assert_eq!(split(AttributionModel::LastTouch, 100, &ages), [0, 0, 100]);
        for model in [
            AttributionModel::FirstTouch,
            AttributionModel::LastTouch,
            AttributionModel::Linear,
            AttributionModel::PositionBased,
            AttributionModel::TimeDecay,
        ] {
            assert_eq!(split(model, 77, &[3.0]), [77], "{model:?}");
            assert_eq!(split(model, 77, &[]), Vec::<u64>::new(), "{model:?}");
        }
    }

    #[test]
    fn linear_thirds_give_the_odd_micro_to_the_earliest_touch() {
        // 100.00 in micros, three ways: 33 333 333.33… each, one micro left.
        assert_eq!(
            split(AttributionModel::Linear, 100_000_000, &[9.0, 5.0, 1.0]),
            [33_333_334, 33_333_333, 33_333_333]
        );
        // 2^30 units three ways: 357 913 941.33… each.
        assert_eq!(
            split(
                AttributionModel::Linear,
                UNITS_PER_CONVERSION,
                &[3.0, 2.0, 1.0]
            ),
            [357_913_942, 357_913_941, 357_913_941]
        );
    }

    #[test]
    fn position_based_is_forty_twenty_forty_and_halves_two_touches() {
        assert_eq!(
            split(
                AttributionModel::PositionBased,
                100_000_000,
                &[3.0, 2.0, 1.0]
            ),
            [40_000_000, 20_000_000, 40_000_000]
        );
        // 2^30 × 0.4 = 429 496 729.6 and × 0.2 = 214 748 364.8: two units left, to the middle
        // (.8) then to the first of the two .6 remainders.
        assert_eq!(
            split(
                AttributionModel::PositionBased,
                UNITS_PER_CONVERSION,
                &[3.0, 2.0, 1.0]
            ),
            [429_496_730, 214_748_365, 429_496_729]
        );
        // Four touches: the middle 20 % is 10 % each.
        assert_eq!(
            split(
                AttributionModel::PositionBased,
                1_000,
                &[4.0, 3.0, 2.0, 1.0]
            ),
            [400, 100, 100, 400]
        );
        assert_eq!(
            split(AttributionModel::PositionBased, 101, &[2.0, 1.0]),
            [51, 50]
        );
    }

    #[test]
    fn custom_position_weights_are_exact_and_bounded() {
        let custom = ModelSettings {
            position: PositionWeights::from_fractions(0.3, 0.5).unwrap_or(PositionWeights::DEFAULT),
            ..settings(AttributionModel::PositionBased)
        };
        assert_eq!(
            apportion(1_000, &weights(&custom, &[4.0, 3.0, 2.0, 1.0])),
            [300, 100, 100, 500]
        );
        // Two touches: 0.3 / 0.8 and 0.5 / 0.8.
        assert_eq!(apportion(800, &weights(&custom, &[2.0, 1.0])), [300, 500]);
        let zero = ModelSettings {
            position: PositionWeights { first: 0, last: 0 },
            ..custom
        };
        assert_eq!(apportion(10, &weights(&zero, &[2.0, 1.0])), [5, 5]);
        assert_eq!(apportion(10, &weights(&zero, &[3.0, 2.0, 1.0])), [0, 10, 0]);
        assert_eq!(
            PositionWeights::from_fractions(0.4, 0.4),
            Some(PositionWeights::DEFAULT)
        );
        assert_eq!(PositionWeights::from_fractions(0.6, 0.5), None);
        assert_eq!(PositionWeights::from_fractions(-0.1, 0.5), None);
        assert_eq!(PositionWeights::from_fractions(1.5, 0.0), None);
        assert_eq!(PositionWeights::from_fractions(f64::NAN, 0.0), None);
        assert!(PositionWeights::from_fractions(1.0, 0.0).is_some());
    }

    #[test]
    fn time_decay_halves_per_half_life() {
        // Half-life 4 days, ages 9, 5 and 1 days: weights 1/4, 1/2, 1, that is 1/7, 2/7, 4/7.
        let decay = ModelSettings {
            half_life_days: 4.0,
            ..settings(AttributionModel::TimeDecay)
        };
        let ages = [9.0, 5.0, 1.0];
        assert_eq!(weights(&decay, &ages), [1 << 38, 1 << 39, 1 << 40]);
        assert_eq!(
            apportion(100_000_000, &weights(&decay, &ages)),
            [14_285_714, 28_571_429, 57_142_857]
        );
        // Default half-life 7: a touch 7 days older weighs half as much.
        assert_eq!(
            weights(&settings(AttributionModel::TimeDecay), &[8.0, 1.0]),
            [1 << 39, 1 << 40]
        );
        // Very old touches do not underflow everything to zero.
        let parts = split(AttributionModel::TimeDecay, 1_000, &[5_000.0, 4_000.0]);
        assert_eq!(parts, [0, 1_000]);
    }

    #[test]
    fn parts_always_add_up_exactly() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let models = [
            AttributionModel::FirstTouch,
            AttributionModel::LastTouch,
            AttributionModel::Linear,
            AttributionModel::PositionBased,
            AttributionModel::TimeDecay,
        ];
        for round in 0..2_000 {
            let count = (next() % 12) as usize + 1;
            let mut ages: Vec<f64> = (0..count)
                .map(|_| (next() % 30_000) as f64 / 1_000.0)
                .collect();
            ages.sort_by(|a, b| b.total_cmp(a));
            let total = match round % 3 {
                0 => UNITS_PER_CONVERSION,
                1 => next() % 1_000_000_000_000,
                _ => i64::MAX as u64,
            };
            let model = models[round % models.len()];
            let parts = split(model, total, &ages);
            assert_eq!(parts.len(), count);
            let sum: u128 = parts.iter().map(|part| u128::from(*part)).sum();
            assert_eq!(sum, u128::from(total), "{model:?} {ages:?}");
        }
    }

    #[test]
    fn row_sums_of_units_are_exact_in_f64() {
        // Three touches per conversion, linear, a million conversions' worth of thirds: as f64
        // multiples of 2^-30 the rows add up to the total exactly, whichever order.
        let thirds = split(
            AttributionModel::Linear,
            UNITS_PER_CONVERSION,
            &[2.0, 1.0, 0.0],
        );
        let conversions = 1_000_000u64;
        let rows: Vec<f64> = thirds
            .iter()
            .map(|units| (units * conversions) as f64 / UNITS_PER_CONVERSION as f64)
            .collect();
        assert_eq!(rows[0] + rows[1] + rows[2], conversions as f64);
        assert_eq!(rows[2] + rows[1] + rows[0], conversions as f64);
    }
}
