//! The calendar of a plan (`Plan.calendar`): groups by month, campaign and action type, their
//! actions, campaigns and sums, tenancy, roles, and its statement count. Expected groups and
//! sums are computed here from the values the test creates, with exact decimals.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::support::{
    TestApp, create_action, create_persona, create_plan, dec, decimal_of, min_statements,
    mutate_ok, node, uuid_hex_of,
};

/// A campaign the fixture creates.
pub struct CampaignSpec {
    pub name: &'static str,
    pub start: &'static str,
    pub end: &'static str,
    pub budget: &'static str,
}

/// An action the fixture creates; `campaign` indexes [`CAMPAIGNS`].
pub struct ActionSpec {
    pub title: &'static str,
    pub action_type: &'static str,
    pub lever: &'static str,
    pub start: &'static str,
    pub due: &'static str,
    pub budget: &'static str,
    pub actual: &'static str,
    pub status: &'static str,
    pub campaign: Option<usize>,
}

/// Winter starts first, Autumn has no action.
pub const CAMPAIGNS: [CampaignSpec; 3] = [
    CampaignSpec {
        name: "Spring",
        start: "2027-03-01",
        end: "2027-04-30",
        budget: "1000.1",
    },
    CampaignSpec {
        name: "Winter",
        start: "2027-01-10",
        end: "2027-02-28",
        budget: "500.2",
    },
    CampaignSpec {
        name: "Autumn",
        start: "2027-10-01",
        end: "2027-10-31",
        budget: "0.3",
    },
];

/// Amounts of 0.1, 0.2, 0.7 that binary floats sum wrongly; one cancelled action; one action
/// running across months; two actions due the same day.
pub const ACTIONS: [ActionSpec; 7] = [
    ActionSpec {
        title: "Search ads",
        action_type: "AD_CAMPAIGN",
        lever: "SEA",
        start: "2027-03-05",
        due: "2027-03-20",
        budget: "0.1",
        actual: "0.2",
        status: "IN_PROGRESS",
        campaign: Some(0),
    },
    ActionSpec {
        title: "Spring guide",
        action_type: "CONTENT_PIECE",
        lever: "CONTENT",
        start: "2027-03-02",
        due: "2027-03-10",
        budget: "0.2",
        actual: "0.1",
        status: "DONE",
        campaign: Some(0),
    },
    ActionSpec {
        title: "Long ads",
        action_type: "AD_CAMPAIGN",
        lever: "SEA",
        start: "2027-03-15",
        due: "2027-05-15",
        budget: "0.7",
        actual: "0",
        status: "TODO",
        campaign: None,
    },
    ActionSpec {
        title: "Cancelled mailing",
        action_type: "EMAIL_CAMPAIGN",
        lever: "EMAILING",
        start: "2027-01-15",
        due: "2027-02-05",
        budget: "100",
        actual: "0.05",
        status: "CANCELLED",
        campaign: Some(1),
    },
    ActionSpec {
        title: "Winter mailing",
        action_type: "EMAIL_CAMPAIGN",
        lever: "EMAILING",
        start: "2027-02-01",
        due: "2027-02-20",
        budget: "0.3",
        actual: "0.6",
        status: "TODO",
        campaign: Some(1),
    },
    ActionSpec {
        title: "Summer video",
        action_type: "CONTENT_PIECE",
        lever: "CONTENT",
        start: "2027-07-01",
        due: "2027-07-31",
        budget: "1234.567891",
        actual: "0",
        status: "TODO",
        campaign: None,
    },
    ActionSpec {
        title: "Misc",
        action_type: "OTHER",
        lever: "OTHER",
        start: "2027-03-01",
        due: "2027-03-20",
        budget: "0.1",
        actual: "0.1",
        status: "TODO",
        campaign: None,
    },
];

/// `ActionType` values in declaration order.
pub const ACTION_TYPES: [&str; 17] = [
    "AD_CAMPAIGN",
    "SEO_OPTIMIZATION",
    "SOCIAL_ENGAGEMENT",
    "CONTENT_PIECE",
    "EMAIL_CAMPAIGN",
    "LEAD_MAGNET",
    "CALL_TO_ACTION",
    "CRO_UX_IMPROVEMENT",
    "CUSTOMER_SUPPORT",
    "UPSELL_CROSS_SELL",
    "LOYALTY_PROGRAM",
    "REFERRAL_PROGRAM",
    "REVIEWS_TESTIMONIALS",
    "INFLUENCER_COLLABORATION",
    "AFFILIATE_PROGRAM",
    "EVENT",
    "OTHER",
];

/// What the fixture created: the plan, the campaign IDs (same order as [`CAMPAIGNS`]) and the
/// action IDs (same order as [`ACTIONS`]).
pub struct Fixture {
    pub plan: String,
    pub campaigns: Vec<String>,
    pub actions: Vec<String>,
}

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Creates a plan over 2027 with [`CAMPAIGNS`] and [`ACTIONS`] as `token`.
pub async fn build(app: &TestApp, token: &str, name: &str) -> Fixture {
    let plan = create_plan(app, token, name).await;
    let persona = create_persona(app, token, &format!("{name} persona")).await;
    let mut campaigns = Vec::new();
    for spec in &CAMPAIGNS {
        let payload = mutate_ok(
            app,
            token,
            "createCampaign",
            "campaign { id } userErrors { field code }",
            json!({ "planId": plan, "name": spec.name, "kind": "AWARENESS", "levers": ["SEA"],
                    "personaIds": [persona], "startDate": spec.start, "endDate": spec.end,
                    "budget": spec.budget }),
        )
        .await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
        campaigns.push(payload["campaign"]["id"].as_str().unwrap().to_owned());
    }
    let mut actions = Vec::new();
    for spec in &ACTIONS {
        actions.push(
            create_action(
                app,
                token,
                &plan,
                json!({ "title": spec.title, "actionType": spec.action_type, "lever": spec.lever,
                        "startDate": spec.start, "dueDate": spec.due, "budget": spec.budget,
                        "actualCost": spec.actual, "status": spec.status,
                        "campaignId": spec.campaign.map(|c| campaigns[c].clone()) }),
            )
            .await,
        );
    }
    Fixture {
        plan,
        campaigns,
        actions,
    }
}

/// The titles of the actions among `indexes`, by due date then ID.
pub fn titles_in_order(fixture: &Fixture, mut indexes: Vec<usize>) -> Vec<String> {
    indexes.sort_by_key(|&i| (day(ACTIONS[i].due), uuid_hex_of(&fixture.actions[i])));
    indexes
        .into_iter()
        .map(|i| ACTIONS[i].title.to_owned())
        .collect()
}

/// Planned (cancelled actions left out) and actual sums of the actions among `indexes`.
pub fn sums(indexes: &[usize]) -> (Decimal, Decimal) {
    let planned = indexes
        .iter()
        .filter(|&&i| ACTIONS[i].status != "CANCELLED")
        .map(|&i| dec(ACTIONS[i].budget))
        .sum();
    let actual = indexes.iter().map(|&i| dec(ACTIONS[i].actual)).sum();
    (planned, actual)
}

/// The indexes of the actions starting in `month` (its first day).
pub fn starting_in(month: NaiveDate) -> Vec<usize> {
    (0..ACTIONS.len())
        .filter(|&i| {
            let start = day(ACTIONS[i].start);
            start.year() == month.year() && start.month() == month.month()
        })
        .collect()
}

/// The first days of the 12 months of 2027.
pub fn months_of_2027() -> Vec<NaiveDate> {
    (1..=12)
        .map(|m| NaiveDate::from_ymd_opt(2027, m, 1).unwrap())
        .collect()
}

fn last_day(month: NaiveDate) -> NaiveDate {
    let next = if month.month() == 12 {
        NaiveDate::from_ymd_opt(month.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(month.year(), month.month() + 1, 1)
    };
    next.unwrap().pred_opt().unwrap()
}

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

const CALENDAR: &str = "query($id: ID!, $by: CalendarGrouping!) { node(id: $id) { ... on Plan { \
    calendar(groupBy: $by) { month actionType campaign { id name } actions { title } \
    campaigns { name } planned actual } } } }";

async fn calendar(app: &TestApp, token: &str, plan: &str, by: &str) -> Vec<Value> {
    app.data(token, CALENDAR, json!({ "id": plan, "by": by }))
        .await["node"]["calendar"]
        .as_array()
        .unwrap_or_else(|| panic!("no calendar"))
        .clone()
}

/// Checks the MONTH calendar of the fixture against values computed from the specs.
async fn assert_month_calendar(app: &TestApp, token: &str, fixture: &Fixture) {
    let groups = calendar(app, token, &fixture.plan, "MONTH").await;
    let months = months_of_2027();
    assert_eq!(
        groups.len(),
        12,
        "every month of the period, empty ones too"
    );
    for (group, month) in groups.iter().zip(&months) {
        assert_eq!(group["month"], json!(month.format("%Y-%m-%d").to_string()));
        assert_eq!(group["campaign"], Value::Null);
        assert_eq!(group["actionType"], Value::Null);
        let members = starting_in(*month);
        assert_eq!(
            names(&group["actions"], "title"),
            titles_in_order(fixture, members.clone()),
            "{month}"
        );
        let overlapping: Vec<String> = {
            let mut specs: Vec<&CampaignSpec> = CAMPAIGNS
                .iter()
                .filter(|c| day(c.start) <= last_day(*month) && day(c.end) >= *month)
                .collect();
            specs.sort_by_key(|c| day(c.start));
            specs.iter().map(|c| c.name.to_owned()).collect()
        };
        assert_eq!(names(&group["campaigns"], "name"), overlapping, "{month}");
        let (planned, actual) = sums(&members);
        assert_eq!(decimal_of(&group["planned"]), planned, "{month}");
        assert_eq!(decimal_of(&group["actual"]), actual, "{month}");
    }
}

#[tokio::test]
async fn month_calendar_lists_every_month_with_exact_sums() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = build(&app, &token, "Plan 2027").await;
    assert_month_calendar(&app, &token, &fixture).await;

    let groups = calendar(&app, &token, &fixture.plan, "MONTH").await;
    // March: 0.1 + 0.2 + 0.7 + 0.1, which binary floats get wrong.
    assert_eq!(groups[2]["planned"], json!("1.10"));
    assert_eq!(
        names(&groups[2]["actions"], "title"),
        ["Spring guide", "Search ads", "Misc", "Long ads"],
        "by due date, then by ID (Misc was created after Search ads)"
    );
    // The cancelled January action is listed, its actual cost counts, its budget does not.
    assert_eq!(names(&groups[0]["actions"], "title"), ["Cancelled mailing"]);
    assert_eq!(groups[0]["planned"], json!("0.00"));
    assert_eq!(groups[0]["actual"], json!("0.05"));
    // An empty month.
    assert_eq!(groups[5]["actions"], json!([]));
    assert_eq!(groups[5]["campaigns"], json!([]));
    assert_eq!(groups[5]["planned"], json!("0.00"));
    // Each action appears exactly once, in the month of its start date.
    let total: usize = groups
        .iter()
        .map(|g| g["actions"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, ACTIONS.len());
}

#[tokio::test]
async fn campaign_calendar_orders_campaigns_by_start_then_no_campaign() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = build(&app, &token, "Plan 2027").await;
    let groups = calendar(&app, &token, &fixture.plan, "CAMPAIGN").await;

    let mut order: Vec<usize> = (0..CAMPAIGNS.len()).collect();
    order.sort_by_key(|&c| day(CAMPAIGNS[c].start));
    assert_eq!(groups.len(), CAMPAIGNS.len() + 1);
    for (group, &c) in groups.iter().zip(&order) {
        assert_eq!(group["campaign"]["id"], json!(fixture.campaigns[c]));
        assert_eq!(group["month"], Value::Null);
        assert_eq!(names(&group["campaigns"], "name"), [CAMPAIGNS[c].name]);
        let members: Vec<usize> = (0..ACTIONS.len())
            .filter(|&i| ACTIONS[i].campaign == Some(c))
            .collect();
        assert_eq!(
            names(&group["actions"], "title"),
            titles_in_order(&fixture, members.clone())
        );
        let (planned, actual) = sums(&members);
        assert_eq!(decimal_of(&group["planned"]), planned);
        assert_eq!(decimal_of(&group["actual"]), actual);
    }
    assert_eq!(
        groups
            .iter()
            .map(|g| g["campaign"]["name"].clone())
            .collect::<Vec<_>>(),
        [
            json!("Winter"),
            json!("Spring"),
            json!("Autumn"),
            Value::Null
        ]
    );
    let last = groups.last().unwrap();
    assert_eq!(last["campaign"], Value::Null);
    assert_eq!(last["campaigns"], json!([]));
    let without: Vec<usize> = (0..ACTIONS.len())
        .filter(|&i| ACTIONS[i].campaign.is_none())
        .collect();
    assert_eq!(
        names(&last["actions"], "title"),
        titles_in_order(&fixture, without.clone())
    );
    let (planned, actual) = sums(&without);
    assert_eq!(decimal_of(&last["planned"]), planned);
    assert_eq!(decimal_of(&last["actual"]), actual);
    // Winter: the cancelled mailing's 100 is left out of planned, its 0.05 kept in actual.
    assert_eq!(groups[0]["planned"], json!("0.30"));
    assert_eq!(groups[0]["actual"], json!("0.65"));
}

#[tokio::test]
async fn action_type_calendar_follows_the_enum_order() {
    let app = TestApp::spawn().await;
    let token = app.token("acme", "editor");
    let fixture = build(&app, &token, "Plan 2027").await;
    let groups = calendar(&app, &token, &fixture.plan, "ACTION_TYPE").await;

    let used: Vec<&str> = ACTION_TYPES
        .iter()
        .copied()
        .filter(|t| ACTIONS.iter().any(|a| a.action_type == *t))
        .collect();
    assert_eq!(
        groups
            .iter()
            .map(|g| g["actionType"].clone())
            .collect::<Vec<_>>(),
        used.iter().map(|t| json!(t)).collect::<Vec<_>>()
    );
    for (group, kind) in groups.iter().zip(&used) {
        assert_eq!(group["month"], Value::Null);
        assert_eq!(group["campaign"], Value::Null);
        let members: Vec<usize> = (0..ACTIONS.len())
            .filter(|&i| ACTIONS[i].action_type == *kind)
            .collect();
        assert_eq!(
            names(&group["actions"], "title"),
            titles_in_order(&fixture, members.clone())
        );
        let mut campaigns: Vec<usize> = members
            .iter()
            .filter_map(|&i| ACTIONS[i].campaign)
            .collect();
        campaigns.sort_by_key(|&c| day(CAMPAIGNS[c].start));
        campaigns.dedup();
        assert_eq!(
            names(&group["campaigns"], "name"),
            campaigns
                .iter()
                .map(|&c| CAMPAIGNS[c].name)
                .collect::<Vec<_>>()
        );
        let (planned, actual) = sums(&members);
        assert_eq!(decimal_of(&group["planned"]), planned, "{kind}");
        assert_eq!(decimal_of(&group["actual"]), actual, "{kind}");
    }
}

#[tokio::test]
async fn another_tenants_actions_never_count_and_a_viewer_can_read() {
    let app = TestApp::spawn().await;
    let acme = app.token("acme", "editor");
    let fixture = build(&app, &acme, "Acme 2027").await;
    // Globex has the same shape of plan, with its own (larger) amounts in the same months.
    let globex = app.token("globex", "editor");
    let other = create_plan(&app, &globex, "Globex 2027").await;
    for month in 1..=12 {
        create_action(
            &app,
            &globex,
            &other,
            json!({ "title": format!("Globex {month}"),
                    "startDate": format!("2027-{month:02}-01"), "dueDate": format!("2027-{month:02}-28"),
                    "budget": "999", "actualCost": "777" }),
        )
        .await;
    }
    assert_month_calendar(&app, &acme, &fixture).await;

    // A viewer of acme reads the same calendar.
    let viewer = app.token("acme", "viewer");
    assert_month_calendar(&app, &viewer, &fixture).await;
    assert_eq!(
        calendar(&app, &viewer, &fixture.plan, "CAMPAIGN").await,
        calendar(&app, &acme, &fixture.plan, "CAMPAIGN").await
    );

    // Globex sees neither acme's plan nor its actions in its own calendar.
    assert_eq!(
        node(
            &app,
            &globex,
            &fixture.plan,
            "... on Plan { calendar(groupBy: MONTH) { planned } }"
        )
        .await,
        Value::Null
    );
    let theirs = calendar(&app, &globex, &other, "CAMPAIGN").await;
    assert_eq!(
        theirs.len(),
        1,
        "globex has no campaign: only the group without one"
    );
    assert_eq!(theirs[0]["actions"].as_array().unwrap().len(), 12);
    assert_eq!(
        decimal_of(&theirs[0]["planned"]),
        dec("999") * Decimal::from(12)
    );
    assert_eq!(
        decimal_of(&theirs[0]["actual"]),
        dec("777") * Decimal::from(12)
    );
}

#[tokio::test]
async fn calendar_and_budget_report_cost_the_same_statements_for_1_and_5_plans() {
    const QUERY: &str = "{ plans(first: 5) { edges { node { calendar(groupBy: MONTH) { actions { title } } \
        budgetReport { byLever { lever } } } } } }";
    let app = TestApp::spawn().await;
    let solo = app.token("solo", "editor");
    build(&app, &solo, "Solo plan").await;
    let many = app.token("many", "editor");
    for p in 0..5 {
        let fixture = build(&app, &many, &format!("Plan {p}")).await;
        mutate_ok(
            &app,
            &many,
            "createLeverAllocation",
            "userErrors { code }",
            json!({ "planId": fixture.plan, "lever": "SEO", "budget": "10", "priority": 1 }),
        )
        .await;
    }
    let (one, data_one) = min_statements(&app, &solo, QUERY, json!({})).await;
    let (five, data_five) = min_statements(&app, &many, QUERY, json!({})).await;
    println!("calendar + budget report: {one} statements for 1 plan, {five} for 5 plans");
    assert_eq!(data_one["plans"]["edges"].as_array().unwrap().len(), 1);
    assert_eq!(data_five["plans"]["edges"].as_array().unwrap().len(), 5);
    assert_eq!(
        data_five["plans"]["edges"][0]["node"]["calendar"]
            .as_array()
            .unwrap()
            .len(),
        12
    );
    assert_eq!(
        one, five,
        "the statement count does not grow with the plans"
    );
}
