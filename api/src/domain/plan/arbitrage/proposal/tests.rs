//! Unit and property tests of the arbitrage rule.

use chrono::NaiveDate;
use uuid::Uuid;

use super::*;

const UNIT: i64 = 1_000_000;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, d).unwrap_or_default()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn candidate(n: u128, lever: Lever, cost_micros: i64, ice_score: i32) -> Candidate {
    Candidate {
        id: id(n),
        lever,
        cost_micros,
        ice_score,
        due_date: day(10),
    }
}

fn ids(candidates: &[Candidate]) -> Vec<Uuid> {
    candidates.iter().map(|c| c.id).collect()
}

fn request(ceiling: i64, candidates: Vec<Candidate>) -> ArbitrageRequest {
    ArbitrageRequest {
        ceiling_micros: ceiling,
        bounds: Vec::new(),
        committed: Vec::new(),
        candidates,
    }
}

#[test]
fn ranks_zero_cost_first_then_by_exact_ratio_then_due_date_then_id() {
    let free_low = candidate(9, Lever::Seo, 0, 10);
    let free_high = candidate(8, Lever::Seo, 0, 500);
    // 300 / 3 = 100 per unit: the best ratio among the paying ones.
    let best = candidate(7, Lever::Sea, 3 * UNIT, 300);
    // 200 / 4 = 50 per unit, twice: the earlier due date, then the smaller id, goes first.
    let mut late = candidate(1, Lever::Sea, 4 * UNIT, 200);
    late.due_date = day(20);
    let early_big_id = candidate(6, Lever::Sea, 4 * UNIT, 200);
    let early_small_id = candidate(5, Lever::Sea, 2 * UNIT, 100);
    let mut all = vec![
        late.clone(),
        early_big_id.clone(),
        best.clone(),
        free_low.clone(),
        early_small_id.clone(),
        free_high.clone(),
    ];
    all.sort_by(rank_order);
    assert_eq!(
        ids(&all),
        ids(&[
            free_high,
            free_low,
            best,
            early_small_id,
            early_big_id,
            late
        ])
    );
}

#[test]
fn compares_ratios_exactly_where_floats_cannot() {
    // 1 / (2^53 + 1) and 1 / 2^53 are the same f64; exactly, the second is larger.
    let cheaper = {
        let mut c = candidate(2, Lever::Seo, 1 << 53, 1);
        c.due_date = day(30);
        c
    };
    let dearer = candidate(1, Lever::Seo, (1 << 53) + 1, 1);
    assert_eq!(
        (1.0 / (1u64 << 53) as f64),
        (1.0 / ((1u64 << 53) + 1) as f64),
        "floats cannot tell these ratios apart"
    );
    assert_eq!(rank_order(&cheaper, &dearer), Ordering::Less);
}

#[test]
fn the_classic_counter_example_is_caught_by_the_larger_action_check() {
    // Ratio 2 first, then the big action no longer fits: 2 instead of 100 by ratio alone.
    let small = candidate(1, Lever::Seo, UNIT, 2);
    let big = candidate(2, Lever::Sea, 100 * UNIT, 100);
    let proposal = propose(&request(100 * UNIT, vec![small.clone(), big.clone()]));
    assert_eq!(ids(&proposal.kept), ids(&[big]));
    assert_eq!(ids(&proposal.cut), ids(&[small]));
    assert!(proposal.started_with_larger_action);
    assert_eq!(proposal.kept_totals.ice_score, 100);
    assert_eq!(proposal.remaining_micros, 0);
}

#[test]
fn a_worked_example_with_committed_spend_and_lever_bounds() {
    // Ceiling 100, 10 already committed on SEO (a DONE action).
    // SEA max 30; CONTENT min 20.
    let seo_a = candidate(1, Lever::Seo, 20 * UNIT, 400); // 20 per unit
    let sea_a = candidate(2, Lever::Sea, 20 * UNIT, 300); // 15 per unit
    let sea_b = candidate(3, Lever::Sea, 20 * UNIT, 280); // 14 per unit: SEA max
    let content = candidate(4, Lever::Content, 25 * UNIT, 50); // 2 per unit: CONTENT min
    let seo_b = candidate(5, Lever::Seo, 30 * UNIT, 150); // 5 per unit: over the ceiling
    let free = candidate(6, Lever::Emailing, 0, 1);
    let proposal = propose(&ArbitrageRequest {
        ceiling_micros: 100 * UNIT,
        bounds: vec![
            LeverBound {
                lever: Lever::Sea,
                min_micros: None,
                max_micros: Some(30 * UNIT),
            },
            LeverBound {
                lever: Lever::Content,
                min_micros: Some(20 * UNIT),
                max_micros: None,
            },
        ],
        committed: vec![Committed {
            lever: Lever::Seo,
            micros: 10 * UNIT,
        }],
        candidates: vec![
            seo_b.clone(),
            content.clone(),
            free.clone(),
            sea_b.clone(),
            sea_a.clone(),
            seo_a.clone(),
        ],
    });
    // CONTENT's minimum first (10 + 25), then free, seo_a (55), sea_a (75); sea_b would take
    // SEA to 40 > 30; seo_b would take the total to 105 > 100.
    assert_eq!(ids(&proposal.kept), ids(&[free, seo_a, sea_a, content]));
    assert_eq!(ids(&proposal.cut), ids(&[sea_b, seo_b]));
    assert_eq!(proposal.kept_totals.cost_micros, i128::from(65 * UNIT));
    assert_eq!(proposal.kept_totals.ice_score, 751);
    assert_eq!(proposal.cut_totals.ice_score, 430);
    assert_eq!(proposal.committed_micros, i128::from(10 * UNIT));
    assert_eq!(proposal.remaining_micros, i128::from(25 * UNIT));
    assert_eq!(proposal.warnings, vec![]);
    let levers: Vec<_> = proposal
        .levers
        .iter()
        .map(|l| (l.lever, l.committed_micros, l.kept.count, l.cut.count))
        .collect();
    assert_eq!(
        levers,
        vec![
            (Lever::Seo, i128::from(10 * UNIT), 1, 1),
            (Lever::Sea, 0, 1, 1),
            (Lever::Emailing, 0, 1, 0),
            (Lever::Content, 0, 1, 0),
        ]
    );
}

#[test]
fn an_unreachable_minimum_and_an_exceeded_ceiling_are_reported() {
    let free = candidate(1, Lever::Seo, 0, 8);
    let paid = candidate(2, Lever::Content, 5 * UNIT, 900);
    let proposal = propose(&ArbitrageRequest {
        ceiling_micros: 10 * UNIT,
        bounds: vec![
            LeverBound {
                lever: Lever::Content,
                min_micros: Some(5 * UNIT),
                max_micros: None,
            },
            LeverBound {
                lever: Lever::Sea,
                min_micros: None,
                max_micros: Some(UNIT),
            },
        ],
        committed: vec![Committed {
            lever: Lever::Sea,
            micros: 12 * UNIT,
        }],
        candidates: vec![paid.clone(), free.clone()],
    });
    assert_eq!(ids(&proposal.kept), ids(&[free]), "zero cost always fits");
    assert_eq!(ids(&proposal.cut), ids(&[paid]));
    assert_eq!(proposal.remaining_micros, i128::from(-2 * UNIT));
    assert_eq!(
        proposal.warnings,
        vec![
            Warning {
                code: WarningCode::CommittedExceedsCeiling,
                lever: None,
                gap_micros: i128::from(2 * UNIT),
            },
            Warning {
                code: WarningCode::CommittedExceedsLeverMax,
                lever: Some(Lever::Sea),
                gap_micros: i128::from(11 * UNIT),
            },
            Warning {
                code: WarningCode::LeverMinNotMet,
                lever: Some(Lever::Content),
                gap_micros: i128::from(5 * UNIT),
            },
        ]
    );
}

/// SplitMix64: a small seeded generator, so every run checks the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = usize::try_from(self.below(i as u64 + 1)).unwrap_or(0);
            items.swap(i, j);
        }
    }
}

const LEVERS: [Lever; 3] = [Lever::Seo, Lever::Sea, Lever::Content];

fn random_request(rng: &mut Rng) -> ArbitrageRequest {
    let count = usize::try_from(rng.below(13)).unwrap_or(0);
    let candidates: Vec<Candidate> = (0..count)
        .map(|n| {
            let cost = if rng.chance(10) {
                0
            } else if rng.chance(20) {
                i64::try_from(rng.below(50 * UNIT as u64)).unwrap_or(0) + 1
            } else {
                i64::try_from(rng.below(20) + 1).unwrap_or(1) * UNIT
            };
            let ice = |rng: &mut Rng| i32::try_from(rng.below(10) + 1).unwrap_or(1);
            Candidate {
                id: Uuid::from_u128(u128::from(rng.next())),
                lever: LEVERS[usize::try_from(rng.below(3)).unwrap_or(0)],
                cost_micros: cost,
                ice_score: ice(rng) * ice(rng) * ice(rng),
                due_date: day(u32::try_from(rng.below(3) + 1).unwrap_or(1)),
            }
            .with_index(n)
        })
        .collect();
    let total: i64 = candidates.iter().map(|c| c.cost_micros).sum();
    let ceiling = i64::try_from(rng.below(u64::try_from(total).unwrap_or(0) + 1)).unwrap_or(0);
    let committed = (0..rng.below(3))
        .map(|_| Committed {
            lever: LEVERS[usize::try_from(rng.below(3)).unwrap_or(0)],
            micros: i64::try_from(rng.below(10)).unwrap_or(0) * UNIT,
        })
        .collect();
    let mut bounds = Vec::new();
    for lever in LEVERS {
        if !rng.chance(40) {
            continue;
        }
        let min = rng
            .chance(50)
            .then(|| i64::try_from(rng.below(30)).unwrap_or(0) * UNIT);
        let max = if rng.chance(60) {
            Some(min.unwrap_or(0) + i64::try_from(rng.below(40)).unwrap_or(0) * UNIT)
        } else {
            None
        };
        bounds.push(LeverBound {
            lever,
            min_micros: min,
            max_micros: max,
        });
    }
    ArbitrageRequest {
        ceiling_micros: ceiling,
        bounds,
        committed,
        candidates,
    }
}

impl Candidate {
    /// Makes ids unique within a case (random high bits, the index in the low ones).
    fn with_index(mut self, n: usize) -> Self {
        self.id = Uuid::from_u128((self.id.as_u128() << 8) | n as u128);
        self
    }
}

/// Whether keeping `subset` respects the ceiling and every lever maximum (zero-cost actions
/// add no spend), computed independently of `propose`.
fn feasible(request: &ArbitrageRequest, subset: &[&Candidate]) -> bool {
    let committed_on = |lever: Option<Lever>| -> i128 {
        request
            .committed
            .iter()
            .filter(|c| lever.is_none_or(|l| c.lever == l))
            .map(|c| i128::from(c.micros))
            .sum()
    };
    let spend_on = |lever: Option<Lever>| -> i128 {
        subset
            .iter()
            .filter(|c| lever.is_none_or(|l| c.lever == l))
            .map(|c| i128::from(c.cost_micros))
            .sum()
    };
    let total = spend_on(None);
    if total > 0 && committed_on(None) + total > i128::from(request.ceiling_micros) {
        return false;
    }
    request.bounds.iter().all(|bound| {
        let spend = spend_on(Some(bound.lever));
        bound.max_micros.is_none_or(|max| {
            spend == 0 || committed_on(Some(bound.lever)) + spend <= i128::from(max)
        })
    })
}

fn brute_force_best_score(request: &ArbitrageRequest) -> i64 {
    let items = &request.candidates;
    (0u32..(1 << items.len()))
        .filter_map(|mask| {
            let subset: Vec<&Candidate> = items
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, c)| c)
                .collect();
            feasible(request, &subset).then(|| subset.iter().map(|c| i64::from(c.ice_score)).sum())
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn random_cases_respect_the_limits_are_deterministic_and_are_compared_with_the_optimum() {
    let mut rng = Rng(0x1e71_e2ab_17a9_e000);
    // The worst proposal / optimum ratios seen, as (proposal, optimum).
    let mut worst_unbounded = (1i64, 1i64);
    let mut worst_bounded = (1i64, 1i64);
    for case in 0..1500 {
        let request = random_request(&mut rng);
        let proposal = propose(&request);

        // Kept and cut split the candidates.
        let mut all = ids(&proposal.kept);
        all.extend(ids(&proposal.cut));
        all.sort();
        let mut expected = ids(&request.candidates);
        expected.sort();
        assert_eq!(all, expected, "case {case}");

        // Never above the ceiling nor a lever maximum; nothing cut would still fit.
        let kept: Vec<&Candidate> = proposal.kept.iter().collect();
        assert!(feasible(&request, &kept), "case {case}: {request:?}");
        for cut in &proposal.cut {
            let mut more = kept.clone();
            more.push(cut);
            assert!(!feasible(&request, &more), "case {case}: {cut:?} fits");
        }

        // The same input in another order gives the same proposal.
        let mut shuffled = request.clone();
        rng.shuffle(&mut shuffled.candidates);
        rng.shuffle(&mut shuffled.bounds);
        rng.shuffle(&mut shuffled.committed);
        assert_eq!(propose(&shuffled), proposal, "case {case}");

        // Every unmet minimum is reported with its shortfall, and only those.
        for bound in &request.bounds {
            let spend: i128 = request
                .committed
                .iter()
                .filter(|c| c.lever == bound.lever)
                .map(|c| i128::from(c.micros))
                .chain(
                    kept.iter()
                        .filter(|c| c.lever == bound.lever)
                        .map(|c| i128::from(c.cost_micros)),
                )
                .sum();
            let warning = proposal
                .warnings
                .iter()
                .find(|w| w.code == WarningCode::LeverMinNotMet && w.lever == Some(bound.lever));
            match bound.min_micros.map(i128::from) {
                Some(min) if spend < min => {
                    assert_eq!(warning.map(|w| w.gap_micros), Some(min - spend))
                }
                _ => assert!(warning.is_none(), "case {case}"),
            }
        }

        // Never better than the optimum (sanity); at least half of it without bounds.
        let optimum = brute_force_best_score(&request);
        let score = proposal.kept_totals.ice_score;
        assert!(score <= optimum, "case {case}: {score} > {optimum}");
        let worst = if request.bounds.is_empty() {
            assert!(2 * score >= optimum, "case {case}: {score} vs {optimum}");
            &mut worst_unbounded
        } else {
            &mut worst_bounded
        };
        if optimum > 0 && score * worst.1 < worst.0 * optimum {
            *worst = (score, optimum);
        }
    }
    eprintln!(
        "worst proposal/optimum ICE ratio: {}/{} without lever bounds, {}/{} with them",
        worst_unbounded.0, worst_unbounded.1, worst_bounded.0, worst_bounded.1
    );
}
