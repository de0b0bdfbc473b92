//! `importPlan`: a new plan from a spreadsheet template — the plan itself, its objectives,
//! lever budgets, campaigns and actions — checked row by row, then written in one transaction.
//!
//! The template (README "Imports", files in `docs/templates/`) is either an XLSX workbook with
//! one sheet per kind of row (`plan`, `objectives`, `leverBudgets`, `campaigns`, `actions`),
//! or one CSV file whose `record` column says each row's kind (`plan`, `objective`,
//! `leverBudget`, `campaign`, `action`) and whose header is the union of their columns. Column
//! names match whatever their case, spaces and underscores. An action names its campaign by
//! the campaign's name in the same file.
//!
//! Every cell is checked with the rules the mutations apply (names, texts, amounts, periods,
//! dates inside the plan's period, ICE inputs, UTM codes, KPI keys of the catalogue), and every
//! problem is reported; when there is one, nothing is written.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    action,
    action_enums::{ActionStatus, ActionType, FunnelStage, JourneyStep},
    campaign,
    enums::{CampaignStatus, Lever, ObjectiveKind, PlanStatus},
    lever_allocation, objective, plan,
};
use sea_orm::ActiveValue::Set;
use serde::Serialize;

use super::{
    FileFormat, Place, Problem, Problems,
    cells::{Record, normalized},
    table::{self, Sheet},
};
use crate::{
    auth::Permission,
    domain::{
        DomainResult, FieldErrorCode, Session,
        campaign::{
            action::{ICE_MAX, ICE_MIN, MAX_OWNER_CHARS, ice_score},
            is_valid_utm_code,
        },
        lever::{PRIORITY_HIGHEST, PRIORITY_LOWEST},
        plan::{check_currency, check_period_length},
        validation::Violations,
    },
    store,
};

/// Most rows of one template (all kinds together).
pub const MAX_ROWS: usize = 5000;

/// The priority of a lever budget whose `priority` cell is empty (the middle of 1 to 5).
pub const DEFAULT_PRIORITY: i32 = 3;

/// The kinds of rows of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Plan,
    Objective,
    LeverBudget,
    Campaign,
    Action,
}

impl Kind {
    const ALL: [Self; 5] = [
        Self::Plan,
        Self::Objective,
        Self::LeverBudget,
        Self::Campaign,
        Self::Action,
    ];

    /// The workbook sheet of this kind.
    fn sheet(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Objective => "objectives",
            Self::LeverBudget => "leverBudgets",
            Self::Campaign => "campaigns",
            Self::Action => "actions",
        }
    }

    /// The CSV `record` value of this kind.
    fn record(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Objective => "objective",
            Self::LeverBudget => "leverBudget",
            Self::Campaign => "campaign",
            Self::Action => "action",
        }
    }

    /// The template's columns for this kind.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Plan => &[
                "name",
                "description",
                "periodStart",
                "periodEnd",
                "currency",
                "budget",
            ],
            Self::Objective => &[
                "title",
                "kind",
                "kpiKey",
                "baseline",
                "target",
                "deadline",
                "statement",
                "rationale",
            ],
            Self::LeverBudget => &["lever", "budget", "priority", "rationale"],
            Self::Campaign => &[
                "name",
                "kind",
                "levers",
                "startDate",
                "endDate",
                "budget",
                "status",
                "utmCode",
                "externalSource",
                "externalId",
            ],
            Self::Action => &[
                "title",
                "campaign",
                "actionType",
                "lever",
                "journeyStep",
                "funnelStage",
                "startDate",
                "dueDate",
                "budget",
                "actualCost",
                "owner",
                "impact",
                "confidence",
                "ease",
                "status",
                "description",
            ],
        }
    }

    /// The kind a sheet name or a `record` value names (either spelling, any case).
    fn named(name: &str) -> Option<Self> {
        let name = normalized(name);
        Self::ALL
            .into_iter()
            .find(|kind| normalized(kind.sheet()) == name || normalized(kind.record()) == name)
    }

    /// The template column that `header` names, among `columns`.
    fn column_in(columns: &[&'static str], header: &str) -> Option<&'static str> {
        let header = normalized(header);
        columns
            .iter()
            .copied()
            .find(|column| normalized(column) == header)
    }
}

/// How many rows of each kind an import creates (or a dry run would create).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanCounts {
    /// Plans (one, when the file is valid).
    pub plans: usize,
    /// Objectives.
    pub objectives: usize,
    /// Lever budgets (allocations).
    pub lever_budgets: usize,
    /// Campaigns.
    pub campaigns: usize,
    /// Actions.
    pub actions: usize,
}

/// What a plan import did, or would do.
#[derive(Debug, Clone)]
pub struct PlanImport {
    /// Every problem of the file; when there is one, nothing was written.
    pub problems: Vec<Problem>,
    /// The rows of each kind the file holds (written when it had no problem and was not a dry
    /// run).
    pub counts: PlanCounts,
    /// The plan created (`None` on a dry run or when the file had problems).
    pub plan: Option<plan::Model>,
}

/// Checks the template in `bytes` and, unless `dry_run` or a problem was found, creates the
/// plan with everything it lists in one transaction.
pub async fn import(session: &Session, bytes: &[u8], dry_run: bool) -> DomainResult<PlanImport> {
    let scope = session.scope(Permission::EditPlan)?;
    let mut problems = Problems::default();
    let records = read(bytes, &mut problems);
    let drafts = check(session, &records, &mut problems).await?;
    let counts = PlanCounts {
        plans: usize::from(drafts.plan.is_some()),
        objectives: records.get(&Kind::Objective).map_or(0, Vec::len),
        lever_budgets: records.get(&Kind::LeverBudget).map_or(0, Vec::len),
        campaigns: records.get(&Kind::Campaign).map_or(0, Vec::len),
        actions: records.get(&Kind::Action).map_or(0, Vec::len),
    };
    let plan = if drafts.plan.is_some() && problems.is_empty() && !dry_run {
        Some(write(&scope, drafts).await?)
    } else {
        None
    };
    Ok(PlanImport {
        problems: problems.into_sorted(),
        counts,
        plan,
    })
}

/// The file's rows by kind.
type Records = HashMap<Kind, Vec<Record>>;

/// Reads the file (a workbook or a CSV file) into rows by kind.
fn read(bytes: &[u8], problems: &mut Problems) -> Records {
    let mut records = Records::new();
    match FileFormat::sniff(bytes) {
        FileFormat::Xlsx => match table::read_xlsx(bytes) {
            Ok(sheets) => {
                for sheet in sheets {
                    read_sheet(&sheet, problems, &mut records);
                }
            }
            Err(message) => problems.file(None, FieldErrorCode::Invalid, message),
        },
        FileFormat::Csv => match table::read_csv(bytes) {
            Ok(sheet) => read_csv(&sheet, problems, &mut records),
            Err(message) => problems.file(None, FieldErrorCode::Invalid, message),
        },
    }
    let total: usize = records.values().map(Vec::len).sum();
    if total > MAX_ROWS {
        problems.file(
            None,
            FieldErrorCode::OutOfRange,
            format!("a template holds at most {MAX_ROWS} rows ({total} were sent)"),
        );
    }
    records
}

/// One sheet of a workbook: the sheet's name says the kind, its first row is the header.
/// Sheets of another name are reported, except a `README` sheet (the template's own notes).
fn read_sheet(sheet: &Sheet, problems: &mut Problems, records: &mut Records) {
    let name = sheet.name.clone().unwrap_or_default();
    let Some(kind) = Kind::named(&name) else {
        if normalized(&name) != "readme" && !sheet.rows.is_empty() {
            problems.file(
                Some(&name),
                FieldErrorCode::Invalid,
                format!(
                    "not a sheet of the template, whose sheets are {}",
                    Kind::ALL.map(Kind::sheet).join(", ")
                ),
            );
        }
        return;
    };
    let Some((header, rows)) = sheet.rows.split_first() else {
        return;
    };
    let columns = header_columns(sheet, header, kind.columns(), problems);
    for row in rows {
        let place = Place {
            sheet: sheet.name.clone(),
            row: row.number,
        };
        let cells = columns
            .iter()
            .enumerate()
            .filter_map(|(index, column)| {
                let (column, spelling) = column.as_ref()?;
                let value = row.at(index);
                (!value.is_empty()).then(|| (*column, spelling.clone(), value.to_owned()))
            })
            .collect();
        records
            .entry(kind)
            .or_default()
            .push(Record { place, cells });
    }
}

/// The template column of each header cell (`None` for an unknown or empty one, reported).
fn header_columns(
    sheet: &Sheet,
    header: &table::RawRow,
    columns: &[&'static str],
    problems: &mut Problems,
) -> Vec<Option<(&'static str, String)>> {
    let place = Place {
        sheet: sheet.name.clone(),
        row: header.number,
    };
    header
        .cells
        .iter()
        .map(|spelling| {
            if spelling.is_empty() {
                return None;
            }
            let column = Kind::column_in(columns, spelling);
            if column.is_none() {
                problems.cell(
                    &place,
                    spelling,
                    FieldErrorCode::Invalid,
                    format!(
                        "not a column of the template here, whose columns are {}",
                        columns.join(", ")
                    ),
                );
            }
            column.map(|column| (column, spelling.clone()))
        })
        .collect()
}

/// A CSV template: its `record` column says each row's kind.
fn read_csv(sheet: &Sheet, problems: &mut Problems, records: &mut Records) {
    let Some((header, rows)) = sheet.rows.split_first() else {
        problems.file(None, FieldErrorCode::Required, "the file is empty");
        return;
    };
    let mut all: Vec<&'static str> = vec!["record"];
    for kind in Kind::ALL {
        for column in kind.columns() {
            if !all.contains(column) {
                all.push(column);
            }
        }
    }
    let columns = header_columns(sheet, header, &all, problems);
    let Some(record_index) = columns
        .iter()
        .position(|column| matches!(column, Some(("record", _))))
    else {
        problems.row(
            &Place { sheet: None, row: header.number },
            FieldErrorCode::Required,
            "a CSV template has a `record` column naming each row's kind: plan, objective, leverBudget, campaign or action",
        );
        return;
    };
    for row in rows {
        let place = Place {
            sheet: None,
            row: row.number,
        };
        let record_spelling = columns[record_index]
            .as_ref()
            .map_or("record".to_owned(), |c| c.1.clone());
        let Some(kind) = Kind::named(row.at(record_index)) else {
            problems.cell(
                &place,
                &record_spelling,
                if row.at(record_index).is_empty() {
                    FieldErrorCode::Required
                } else {
                    FieldErrorCode::Invalid
                },
                "must be one of plan, objective, leverBudget, campaign, action",
            );
            continue;
        };
        let mut cells = Vec::new();
        for (index, column) in columns.iter().enumerate() {
            let Some((column, spelling)) = column else {
                continue;
            };
            let value = row.at(index);
            if index == record_index || value.is_empty() {
                continue;
            }
            if kind.columns().contains(column) {
                cells.push((*column, spelling.clone(), value.to_owned()));
            } else {
                problems.cell(
                    &place,
                    spelling,
                    FieldErrorCode::Invalid,
                    format!("not a column of a {} row; leave it empty", kind.record()),
                );
            }
        }
        records
            .entry(kind)
            .or_default()
            .push(Record { place, cells });
    }
}

/// The checked plan.
struct PlanDraft {
    name: String,
    description: Option<String>,
    period_start: NaiveDate,
    period_end: NaiveDate,
    currency: String,
    budget_micros: i64,
}

/// Everything checked, ready to write.
#[derive(Default)]
struct Drafts {
    plan: Option<PlanDraft>,
    objectives: Vec<objective::ActiveModel>,
    lever_budgets: Vec<lever_allocation::ActiveModel>,
    /// Each campaign with its levers.
    campaigns: Vec<(campaign::ActiveModel, Vec<Lever>)>,
    /// Each action with the index of its campaign in `campaigns`.
    actions: Vec<(action::ActiveModel, Option<usize>)>,
}

/// Checks every row; the problems go to `problems`, the rows that pass to the drafts.
async fn check(
    session: &Session,
    records: &Records,
    problems: &mut Problems,
) -> DomainResult<Drafts> {
    let mut drafts = Drafts::default();
    let plans = records
        .get(&Kind::Plan)
        .map(Vec::as_slice)
        .unwrap_or_default();
    match plans {
        [] => problems.file(
            Some(Kind::Plan.sheet()).filter(|_| records.values().flatten().any(|r| r.place.sheet.is_some())),
            FieldErrorCode::Required,
            "the template has one plan row (the `plan` sheet, or a row whose record is `plan`): name, periodStart, periodEnd, currency, budget",
        ),
        [first, rest @ ..] => {
            for extra in rest {
                problems.row(&extra.place, FieldErrorCode::Duplicate, "a template creates one plan: only one plan row");
            }
            drafts.plan = check_plan(session, first, problems).await?;
        }
    }
    let period = drafts
        .plan
        .as_ref()
        .map(|plan| (plan.period_start, plan.period_end));
    let rows = |kind| records.get(&kind).map(Vec::as_slice).unwrap_or_default();

    let kpi_keys: HashSet<String> = crate::domain::kpi::catalogue::catalogue(session)
        .await?
        .into_iter()
        .map(|entry| entry.definition.key)
        .collect();
    for record in rows(Kind::Objective) {
        if let Some(row) = check_objective(record, period, &kpi_keys, problems)? {
            drafts.objectives.push(row);
        }
    }
    let mut levers = HashSet::new();
    for record in rows(Kind::LeverBudget) {
        if let Some(row) = check_lever_budget(record, &mut levers, problems)? {
            drafts.lever_budgets.push(row);
        }
    }
    let mut campaign_names = HashMap::new();
    let mut utm_codes = HashSet::new();
    let taken = taken_references(session, rows(Kind::Campaign)).await?;
    let mut references = HashSet::new();
    for (index, record) in rows(Kind::Campaign).iter().enumerate() {
        if let Some(name) = record.text("name")
            && campaign_names.insert(name.to_lowercase(), index).is_some()
        {
            problems.cell(
                &record.place,
                &record.header("name"),
                FieldErrorCode::Duplicate,
                "another campaign of the file has this name (actions name their campaign by it)",
            );
        }
        check_reference(record, &taken, &mut references, problems);
        if let Some(row) = check_campaign(record, period, &mut utm_codes, problems)? {
            drafts.campaigns.push(row);
        }
    }
    for record in rows(Kind::Action) {
        if let Some(row) = check_action(record, period, &campaign_names, problems)? {
            drafts.actions.push(row);
        }
    }
    Ok(drafts)
}

/// Longest external source or id of a campaign.
const MAX_EXTERNAL_CHARS: usize = 255;

/// The external references (`(source, id)`) of the file's campaigns that campaigns of the
/// tenant already carry.
async fn taken_references(
    session: &Session,
    records: &[Record],
) -> DomainResult<HashSet<(String, String)>> {
    let ids: Vec<String> = records
        .iter()
        .filter_map(|record| record.text("externalId").map(str::to_owned))
        .collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let scope = session.scope(Permission::ReadPlan)?;
    Ok(store::campaign::with_external_ids(&scope, &ids)
        .await?
        .into_iter()
        .filter_map(|campaign| campaign.external_source.zip(campaign.external_id))
        .collect())
}

/// A campaign's external reference: both columns or neither, storable, used once in the
/// file and by no campaign of the tenant (it is unique per tenant).
fn check_reference(
    record: &Record,
    taken: &HashSet<(String, String)>,
    seen: &mut HashSet<(String, String)>,
    problems: &mut Problems,
) {
    let both = "an external reference has both a source and an id";
    let mut v = Violations::for_argument("row");
    match (record.text("externalSource"), record.text("externalId")) {
        (None, None) => {}
        (Some(_), None) => v.add(&["externalId"], FieldErrorCode::Required, both),
        (None, Some(_)) => v.add(&["externalSource"], FieldErrorCode::Required, both),
        (Some(source), Some(id)) => {
            let storable = v.check_text(&["externalSource"], source, MAX_EXTERNAL_CHARS)
                & v.check_text(&["externalId"], id, MAX_EXTERNAL_CHARS);
            let key = (source.to_owned(), id.to_owned());
            if storable && taken.contains(&key) {
                v.add(
                    &["externalId"],
                    FieldErrorCode::Duplicate,
                    "a campaign of the tenant already has this external reference",
                );
            } else if storable && !seen.insert(key) {
                v.add(
                    &["externalId"],
                    FieldErrorCode::Duplicate,
                    "another campaign of the file has this external reference",
                );
            }
        }
    }
    // Violations are all `finish` returns, and `absorb` keeps them all.
    let _ = problems.absorb(&record.place, v.finish(), |field| record.header(field));
}

async fn check_plan(
    session: &Session,
    record: &Record,
    problems: &mut Problems,
) -> DomainResult<Option<PlanDraft>> {
    let mut v = Violations::for_argument("row");
    let name = record
        .required(problems, "name")
        .map(|name| v.name("name", name));
    let description = v.text("description", record.text("description"));
    let start = record.date(problems, "periodStart", true);
    let end = record.date(problems, "periodEnd", true);
    if let (Some(start), Some(end)) = (start, end) {
        v.date_order("periodEnd", start, end);
        check_period_length(&mut v, "periodEnd", start, end);
    }
    let currency = match record.text("currency") {
        Some(code) => check_currency(&mut v, "currency", code),
        None => store::tenant::currency(&session.scope(Permission::ReadPlan)?).await?,
    };
    let budget = record
        .decimal(problems, "budget", true)
        .map(|budget| v.money("budget", budget));
    problems.absorb(&record.place, v.finish(), |field| record.header(field))?;
    Ok(match (name, start, end, budget) {
        (Some(name), Some(period_start), Some(period_end), Some(budget_micros)) => {
            Some(PlanDraft {
                name,
                description,
                period_start,
                period_end,
                currency,
                budget_micros,
            })
        }
        _ => None,
    })
}

/// A date inside the plan's period, reported at `column` when outside.
fn within(
    v: &mut Violations,
    column: &str,
    date: Option<NaiveDate>,
    period: Option<(NaiveDate, NaiveDate)>,
) {
    if let (Some(date), Some((start, end))) = (date, period) {
        v.within_period(column, date, start, end);
    }
}

fn check_objective(
    record: &Record,
    period: Option<(NaiveDate, NaiveDate)>,
    kpi_keys: &HashSet<String>,
    problems: &mut Problems,
) -> DomainResult<Option<objective::ActiveModel>> {
    let mut v = Violations::for_argument("row");
    let title = record
        .required(problems, "title")
        .map(|title| v.name("title", title));
    let statement = v.text("statement", record.text("statement"));
    let rationale = v.text("rationale", record.text("rationale"));
    let kind = record.enumerated::<ObjectiveKind>(problems, "kind", true);
    let kpi_key = record.required(problems, "kpiKey").map(str::to_owned);
    if let Some(key) = &kpi_key
        && !kpi_keys.contains(key)
    {
        v.add(
            &["kpiKey"],
            FieldErrorCode::NotFound,
            format!("no KPI has the key `{key}`"),
        );
    }
    let baseline = record
        .decimal(problems, "baseline", false)
        .map(|value| v.amount("baseline", value));
    let target = record
        .decimal(problems, "target", true)
        .map(|value| v.amount("target", value));
    let deadline = record.date(problems, "deadline", true);
    within(&mut v, "deadline", deadline, period);
    let valid = v.finish();
    let passed = valid.is_ok();
    problems.absorb(&record.place, valid, |field| record.header(field))?;
    Ok(match (title, kind, kpi_key, target, deadline) {
        (Some(title), Some(kind), Some(kpi_key), Some(target), Some(deadline)) if passed => {
            Some(objective::ActiveModel {
                title: Set(title),
                statement: Set(statement),
                kind: Set(kind),
                kpi_key: Set(kpi_key),
                baseline_micros: Set(baseline),
                target_micros: Set(target),
                rationale: Set(rationale),
                deadline: Set(deadline),
                ..Default::default()
            })
        }
        _ => None,
    })
}

fn check_lever_budget(
    record: &Record,
    levers: &mut HashSet<Lever>,
    problems: &mut Problems,
) -> DomainResult<Option<lever_allocation::ActiveModel>> {
    let mut v = Violations::for_argument("row");
    let lever = record.enumerated::<Lever>(problems, "lever", true);
    if let Some(lever) = lever
        && !levers.insert(lever)
    {
        v.add(
            &["lever"],
            FieldErrorCode::Duplicate,
            "this lever already has a budget in the file",
        );
    }
    let budget = record
        .decimal(problems, "budget", true)
        .map(|value| v.money("budget", value));
    let priority = record
        .integer(problems, "priority", false)
        .unwrap_or(DEFAULT_PRIORITY);
    if !(PRIORITY_HIGHEST..=PRIORITY_LOWEST).contains(&priority) {
        v.add(
            &["priority"],
            FieldErrorCode::OutOfRange,
            format!("must be between {PRIORITY_HIGHEST} and {PRIORITY_LOWEST}"),
        );
    }
    let rationale = v.text("rationale", record.text("rationale"));
    let valid = v.finish();
    let passed = valid.is_ok();
    problems.absorb(&record.place, valid, |field| record.header(field))?;
    Ok(match (lever, budget) {
        (Some(lever), Some(budget)) if passed => Some(lever_allocation::ActiveModel {
            lever: Set(lever),
            budget_micros: Set(budget),
            priority: Set(priority),
            rationale: Set(rationale),
            ..Default::default()
        }),
        _ => None,
    })
}

fn check_campaign(
    record: &Record,
    period: Option<(NaiveDate, NaiveDate)>,
    utm_codes: &mut HashSet<String>,
    problems: &mut Problems,
) -> DomainResult<Option<(campaign::ActiveModel, Vec<Lever>)>> {
    let mut v = Violations::for_argument("row");
    let name = record
        .required(problems, "name")
        .map(|name| v.name("name", name));
    let kind = record.enumerated::<ObjectiveKind>(problems, "kind", true);
    let mut levers = record.enumerated_list::<Lever>(problems, "levers");
    levers.dedup();
    let start = record.date(problems, "startDate", true);
    let end = record.date(problems, "endDate", true);
    if let (Some(start), Some(end)) = (start, end) {
        v.date_order("endDate", start, end);
    }
    within(&mut v, "startDate", start, period);
    within(&mut v, "endDate", end, period);
    let budget = record
        .decimal(problems, "budget", true)
        .map(|value| v.money("budget", value));
    let status = record.enumerated::<CampaignStatus>(problems, "status", false);
    let utm_code = record.text("utmCode").map(str::to_owned);
    if let Some(code) = &utm_code {
        if !is_valid_utm_code(code) {
            v.add(
                &["utmCode"],
                FieldErrorCode::Invalid,
                "1 to 100 of a-z, 0-9, '-', '_', '.'",
            );
        } else if !utm_codes.insert(code.clone()) {
            v.add(
                &["utmCode"],
                FieldErrorCode::Duplicate,
                "another campaign of the file uses this UTM code",
            );
        }
    }
    let valid = v.finish();
    let passed = valid.is_ok();
    problems.absorb(&record.place, valid, |field| record.header(field))?;
    Ok(match (name, kind, start, end, budget) {
        (Some(name), Some(kind), Some(start), Some(end), Some(budget)) if passed => Some((
            campaign::ActiveModel {
                name: Set(name),
                kind: Set(kind),
                start_date: Set(start),
                end_date: Set(end),
                budget_micros: Set(budget),
                status: Set(status.unwrap_or(CampaignStatus::Planned)),
                utm_code: Set(utm_code),
                external_source: Set(record.text("externalSource").map(str::to_owned)),
                external_id: Set(record.text("externalId").map(str::to_owned)),
                parent_campaign_id: Set(None),
                ..Default::default()
            },
            levers,
        )),
        _ => None,
    })
}

fn check_action(
    record: &Record,
    period: Option<(NaiveDate, NaiveDate)>,
    campaign_names: &HashMap<String, usize>,
    problems: &mut Problems,
) -> DomainResult<Option<(action::ActiveModel, Option<usize>)>> {
    let mut v = Violations::for_argument("row");
    let title = record
        .required(problems, "title")
        .map(|title| v.name("title", title));
    let description = v.text("description", record.text("description"));
    let campaign = match record.text("campaign") {
        Some(name) => {
            let found = campaign_names.get(&name.trim().to_lowercase()).copied();
            if found.is_none() {
                v.add(
                    &["campaign"],
                    FieldErrorCode::NotFound,
                    format!("no campaign of the file is named {name:?}"),
                );
            }
            found
        }
        None => None,
    };
    let action_type = record.enumerated::<ActionType>(problems, "actionType", true);
    let lever = record.enumerated::<Lever>(problems, "lever", true);
    let journey_step = record.enumerated::<JourneyStep>(problems, "journeyStep", true);
    let funnel_stage = record.enumerated::<FunnelStage>(problems, "funnelStage", true);
    let start = record.date(problems, "startDate", true);
    let due = record.date(problems, "dueDate", true);
    if let (Some(start), Some(due)) = (start, due) {
        v.date_order("dueDate", start, due);
    }
    within(&mut v, "startDate", start, period);
    within(&mut v, "dueDate", due, period);
    let budget = record
        .decimal(problems, "budget", true)
        .map(|value| v.money("budget", value));
    let actual_cost = record
        .decimal(problems, "actualCost", false)
        .map_or(0, |value| v.money("actualCost", value));
    let owner = v.short_text("owner", record.text("owner"), MAX_OWNER_CHARS);
    let mut ice = |column: &str| {
        let value = record.integer(problems, column, true);
        if let Some(value) = value
            && !(ICE_MIN..=ICE_MAX).contains(&value)
        {
            v.add(
                &[column],
                FieldErrorCode::OutOfRange,
                format!("must be between {ICE_MIN} and {ICE_MAX}"),
            );
        }
        value
    };
    let (impact, confidence, ease) = (ice("impact"), ice("confidence"), ice("ease"));
    let status = record.enumerated::<ActionStatus>(problems, "status", false);
    let valid = v.finish();
    let passed = valid.is_ok();
    problems.absorb(&record.place, valid, |field| record.header(field))?;
    let ices = impact.zip(confidence).zip(ease);
    Ok(
        match (
            title,
            action_type,
            lever,
            journey_step,
            funnel_stage,
            start,
            due,
            budget,
            ices,
        ) {
            (
                Some(title),
                Some(action_type),
                Some(lever),
                Some(journey_step),
                Some(funnel_stage),
                Some(start),
                Some(due),
                Some(budget),
                Some(((impact, confidence), ease)),
            ) if passed => Some((
                action::ActiveModel {
                    title: Set(title),
                    description: Set(description),
                    action_type: Set(action_type),
                    lever: Set(lever),
                    journey_step: Set(journey_step),
                    journey_phase: Set(journey_step.phase()),
                    funnel_stage: Set(funnel_stage),
                    start_date: Set(start),
                    due_date: Set(due),
                    owner: Set(owner),
                    status: Set(status.unwrap_or(ActionStatus::Todo)),
                    budget_micros: Set(budget),
                    actual_cost_micros: Set(actual_cost),
                    impact: Set(impact),
                    confidence: Set(confidence),
                    ease: Set(ease),
                    ice_score: Set(ice_score(impact, confidence, ease)),
                    ..Default::default()
                },
                campaign,
            )),
            _ => None,
        },
    )
}

/// Writes the plan and its rows in one transaction.
async fn write(
    scope: &store::Scoped<sea_orm::DatabaseConnection>,
    drafts: Drafts,
) -> DomainResult<plan::Model> {
    let plan = drafts.plan.ok_or(crate::domain::DomainError::NotFound)?;
    let tx = scope.begin().await?;
    let created = tx
        .insert(plan::ActiveModel {
            name: Set(plan.name),
            description: Set(plan.description),
            period_start: Set(plan.period_start),
            period_end: Set(plan.period_end),
            currency: Set(plan.currency),
            budget_micros: Set(plan.budget_micros),
            status: Set(PlanStatus::Draft),
            ..Default::default()
        })
        .await?;
    for mut row in drafts.objectives {
        row.plan_id = Set(created.id);
        tx.insert(row).await?;
    }
    for mut row in drafts.lever_budgets {
        row.plan_id = Set(created.id);
        tx.insert(row).await?;
    }
    let mut campaign_ids = Vec::with_capacity(drafts.campaigns.len());
    for (mut row, levers) in drafts.campaigns {
        row.plan_id = Set(created.id);
        let campaign = tx.insert(row).await?;
        store::campaign::set_levers(&tx, campaign.id, &levers).await?;
        campaign_ids.push(campaign.id);
    }
    for (mut row, campaign) in drafts.actions {
        row.plan_id = Set(created.id);
        row.campaign_id = Set(campaign.and_then(|index| campaign_ids.get(index).copied()));
        tx.insert(row).await?;
    }
    tx.commit().await?;
    Ok(created)
}

impl PlanImport {
    /// Whether the file had problems (and nothing was written).
    pub fn problems_found(&self) -> bool {
        !self.problems.is_empty()
    }
}
