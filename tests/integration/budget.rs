//! The budget report of a plan (`Plan.budgetReport`): planned against actual by lever, by
//! campaign and by month, the totals and the budget check's warnings, tenancy and roles.
//! Expected figures are computed here from the values the test creates, with exact decimals.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::{
    calendar::{ACTIONS, CAMPAIGNS, Fixture, build, day, months_of_2027, starting_in, sums},
    support::{TestApp, create_action, create_plan, dec, decimal_of, mutate_ok, node},
};

/// The plan's lever allocations: together 100000.1, over the plan's budget of 100000; DISPLAY
/// is allocated 0 (variance ratio null) and used by no action.
const ALLOCATIONS: [(&str, &str); 3] = [("SEA", "60000.1"), ("CONTENT", "40000"), ("DISPLAY", "0")];

/// The plan's budget (see `support::create_plan`).
const PLAN_BUDGET: &str = "100000";

/// `Lever` values in declaration order.
const LEVERS: [&str; 13] = [
    "SEO",
    "SEA",
    "SOCIAL_ADS",
    "SOCIAL_MEDIA",
    "EMAILING",
    "CONTENT",
    "MARKETING_AUTOMATION",
    "INFLUENCE",
    "AFFILIATION",
    "DISPLAY",
    "PR",
    "EVENTS",
    "OTHER",
];

const REPORT: &str = "query($id: ID!) { node(id: $id) { ... on Plan { budgetReport { currency \
    total { planned actual variance varianceRatio } \
    byLever { lever plannedSource planned actual variance varianceRatio } \
    byCampaign { campaign { id name } planned actual variance varianceRatio } \
    byMonth { month planned actual variance varianceRatio } \
    warnings { code message } } } } }";

async fn report(app: &TestApp, token: &str, plan: &str) -> Value {
    app.data(token, REPORT, json!({ "id": plan })).await["node"]["budgetReport"].clone()
}

async fn build_with_allocations(app: &TestApp, token: &str, name: &str) -> Fixture {
    let fixture = build(app, token, name).await;
    for (i, (lever, budget)) in ALLOCATIONS.iter().enumerate() {
        let payload = mutate_ok(
            app,
            token,
            "createLeverAllocation",
            "userErrors { field code }",
            json!({ "planId": fixture.plan, "lever": lever, "budget": budget,
                    "priority": i + 1 }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
    }
    fixture
}

/// Checks planned, actual, variance (amounts of EUR, so with at least 2 decimals) and ratio
/// (12 decimal places, a midpoint away from zero) of one line.
fn assert_figures(line: &Value, planned: Decimal, actual: Decimal, what: &str) {
    for field in ["planned", "actual", "variance"] {
        assert!(
            decimal_of(&line[field]).scale() >= 2,
            "{what}: {field} {} has EUR's 2 decimals",
            line[field]
        );
    }
    assert_eq!(decimal_of(&line["planned"]), planned, "{what}: planned");
    assert_eq!(decimal_of(&line["actual"]), actual, "{what}: actual");
    let variance = actual - planned;
    assert_eq!(decimal_of(&line["variance"]), variance, "{what}: variance");
    if planned.is_zero() {
        assert_eq!(line["varianceRatio"], Value::Null, "{what}: ratio");
    } else {
        let ratio = (variance / planned)
            .round_dp_with_strategy(12, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(decimal_of(&line["varianceRatio"]), ratio, "{what}: ratio");
    }
}

async fn assert_report(app: &TestApp, token: &str, fixture: &Fixture) {
    let report = report(app, token, &fixture.plan).await;
    assert_eq!(report["currency"], json!("EUR"));

    // Total: the plan's budget against every action's actual cost.
    let everything: Vec<usize> = (0..ACTIONS.len()).collect();
    assert_figures(
        &report["total"],
        dec(PLAN_BUDGET),
        sums(&everything).1,
        "total",
    );

    // By lever: allocated levers and levers of actions, in lever order.
    let expected_levers: Vec<&str> = LEVERS
        .iter()
        .copied()
        .filter(|l| {
            ALLOCATIONS.iter().any(|(a, _)| a == l) || ACTIONS.iter().any(|a| a.lever == *l)
        })
        .collect();
    let lines = report["byLever"].as_array().unwrap();
    assert_eq!(
        lines.iter().map(|l| l["lever"].clone()).collect::<Vec<_>>(),
        expected_levers.iter().map(|l| json!(l)).collect::<Vec<_>>()
    );
    for (line, lever) in lines.iter().zip(&expected_levers) {
        let members: Vec<usize> = (0..ACTIONS.len())
            .filter(|&i| ACTIONS[i].lever == *lever)
            .collect();
        let (from_actions, actual) = sums(&members);
        match ALLOCATIONS.iter().find(|(l, _)| l == lever) {
            Some((_, budget)) => {
                assert_eq!(line["plannedSource"], json!("ALLOCATION"), "{lever}");
                assert_figures(line, dec(budget), actual, lever);
            }
            None => {
                assert_eq!(line["plannedSource"], json!("ACTIONS"), "{lever}");
                assert_figures(line, from_actions, actual, lever);
            }
        }
    }

    // By campaign: by start date, then the actions without a campaign (planned 0).
    let mut order: Vec<usize> = (0..CAMPAIGNS.len()).collect();
    order.sort_by_key(|&c| day(CAMPAIGNS[c].start));
    let lines = report["byCampaign"].as_array().unwrap();
    assert_eq!(lines.len(), CAMPAIGNS.len() + 1);
    for (line, &c) in lines.iter().zip(&order) {
        assert_eq!(line["campaign"]["id"], json!(fixture.campaigns[c]));
        let members: Vec<usize> = (0..ACTIONS.len())
            .filter(|&i| ACTIONS[i].campaign == Some(c))
            .collect();
        assert_figures(
            line,
            dec(CAMPAIGNS[c].budget),
            sums(&members).1,
            CAMPAIGNS[c].name,
        );
    }
    let without: Vec<usize> = (0..ACTIONS.len())
        .filter(|&i| ACTIONS[i].campaign.is_none())
        .collect();
    let last = lines.last().unwrap();
    assert_eq!(last["campaign"], Value::Null);
    assert_figures(last, Decimal::ZERO, sums(&without).1, "no campaign");

    // By month: every month of 2027, actions by start month.
    let lines = report["byMonth"].as_array().unwrap();
    let months = months_of_2027();
    assert_eq!(lines.len(), months.len(), "empty months included");
    for (line, month) in lines.iter().zip(&months) {
        assert_eq!(line["month"], json!(month.format("%Y-%m-%d").to_string()));
        let (planned, actual) = sums(&starting_in(*month));
        assert_figures(line, planned, actual, &month.to_string());
    }

    // The budget check's warnings: allocations total 100000.1 > 100000; campaigns do not.
    let allocated: Decimal = ALLOCATIONS.iter().map(|(_, b)| dec(b)).sum();
    assert!(allocated > dec(PLAN_BUDGET));
    let campaigns: Decimal = CAMPAIGNS.iter().map(|c| dec(c.budget)).sum();
    assert!(campaigns <= dec(PLAN_BUDGET));
    assert_eq!(
        report["warnings"],
        json!([{ "code": "LEVER_ALLOCATIONS_EXCEED_BUDGET",
                 "message": "lever allocations total 100000.10 EUR, 0.10 EUR over the plan's budget of 100000.00 EUR" }])
    );
}

#[tokio::test]
async fn report_by_lever_campaign_and_month_with_exact_variances() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = build_with_allocations(&app, &token, "Plan 2027").await;
    assert_report(&app, &token, &fixture).await;

    // Spot checks written out by hand.
    let report = report(&app, &token, &fixture.plan).await;
    let sea = &report["byLever"][0];
    assert_eq!(sea["lever"], json!("SEA"));
    assert_eq!(sea["actual"], json!("0.20"));
    assert_eq!(sea["variance"], json!("-59999.90"));
    let emailing = &report["byLever"][1];
    assert_eq!(emailing["lever"], json!("EMAILING"));
    assert_eq!(emailing["plannedSource"], json!("ACTIONS"));
    assert_eq!(
        emailing["planned"],
        json!("0.30"),
        "the cancelled 100 is left out"
    );
    assert_eq!(emailing["actual"], json!("0.65"));
    assert_eq!(emailing["varianceRatio"], json!("1.166666666667"));
    let display = &report["byLever"][3];
    assert_eq!(display["lever"], json!("DISPLAY"));
    assert_eq!(display["planned"], json!("0.00"));
    assert_eq!(display["varianceRatio"], Value::Null);
    let march = &report["byMonth"][2];
    assert_eq!(march["planned"], json!("1.10"));
    assert_eq!(march["actual"], json!("0.40"));
    assert_eq!(march["variance"], json!("-0.70"));
    let june = &report["byMonth"][5];
    assert_eq!(
        (
            june["planned"].clone(),
            june["actual"].clone(),
            june["varianceRatio"].clone()
        ),
        (json!("0.00"), json!("0.00"), Value::Null)
    );
}

#[tokio::test]
async fn an_empty_plan_reports_its_budget_and_empty_months() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let plan = create_plan(&app, &token, "Empty").await;
    let report = report(&app, &token, &plan).await;
    assert_eq!(
        report["total"],
        json!({ "planned": "100000.00", "actual": "0.00", "variance": "-100000.00", "varianceRatio": "-1" })
    );
    assert_eq!(report["byLever"], json!([]));
    assert_eq!(
        report["byCampaign"],
        json!([{ "campaign": null, "planned": "0.00", "actual": "0.00", "variance": "0.00", "varianceRatio": null }])
    );
    assert_eq!(report["byMonth"].as_array().unwrap().len(), 12);
    assert_eq!(report["warnings"], json!([]));
}

#[tokio::test]
async fn another_tenants_rows_never_count_and_a_viewer_can_read() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let fixture = build_with_allocations(&app, &acme, "Acme 2027").await;
    let globex = app.token("globex", "admin");
    let other = create_plan(&app, &globex, "Globex 2027").await;
    for (lever, budget) in [("SEA", "123"), ("EMAILING", "456")] {
        mutate_ok(
            &app,
            &globex,
            "createLeverAllocation",
            "userErrors { code }",
            json!({ "planId": other, "lever": lever, "budget": budget, "priority": 1 }),
        )
        .await;
        create_action(
            &app,
            &globex,
            &other,
            json!({ "lever": lever, "startDate": "2027-03-01", "dueDate": "2027-03-20",
                    "budget": "999", "actualCost": "777" }),
        )
        .await;
    }
    assert_report(&app, &acme, &fixture).await;
    let viewer = app.token("acme", "viewer");
    assert_report(&app, &viewer, &fixture).await;

    // Globex cannot reach acme's report, and its own counts only its rows.
    assert_eq!(
        node(
            &app,
            &globex,
            &fixture.plan,
            "... on Plan { budgetReport { currency } }"
        )
        .await,
        Value::Null
    );
    let theirs = report(&app, &globex, &other).await;
    assert_eq!(
        theirs["byLever"],
        json!([
            { "lever": "SEA", "plannedSource": "ALLOCATION", "planned": "123.00",
              "actual": "777.00", "variance": "654.00", "varianceRatio": "5.317073170732" },
            { "lever": "EMAILING", "plannedSource": "ALLOCATION", "planned": "456.00",
              "actual": "777.00", "variance": "321.00", "varianceRatio": "0.703947368421" },
        ])
    );
    assert_eq!(theirs["total"]["actual"], json!("1554.00"));
    assert_eq!(theirs["warnings"], json!([]));
}
