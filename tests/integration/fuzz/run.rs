//! A fuzz run: starts the server (in its own process) and seeds it, sends cases until the time
//! is up, checks every answer, keeps the server alive (restarting it after a crash or a hang),
//! and reports what failed.

use std::{
    collections::{BTreeMap, BTreeSet},
    time::{Duration, Instant},
};

use super::{
    case::{Case, Credentials, build_case},
    check::{Answer, Bounds, Example, Failures, Problem, check, excerpt},
    client::{Client, Failure},
    generate::Pools,
    model::Model,
    seed,
    server::Server,
};
use crate::support::on_postgres;

/// The seed when `LEVIER_FUZZ_SEED` is not set: fixed, so that CI runs the same cases.
pub const DEFAULT_SEED: u64 = 0x001E_71E8_0008;
/// The time spent sending requests when `LEVIER_FUZZ_SECONDS` is not set.
const DEFAULT_SECONDS: u64 = 25;
/// How long one request may take before it counts as unanswered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// An answer slower than this is a failure (debug builds included: the slow answers
/// took seconds in release builds, legitimate ones on the seeded data take milliseconds).
const SLOW: Duration = Duration::from_secs(5);
/// More errors than this in one answer is a failure (the issue asks for a cap near 20).
const MAX_ERRORS: usize = 50;
/// A larger answer is a failure: on the seeded data only amplification gets there.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;
/// Larger `errors` are a failure: capped errors with bounded messages stay far below.
const MAX_ERROR_BYTES: usize = 256 * 1024;
/// A longer list in `data` is a failure (`kpiSeries` answers at most 10,000 points; the
/// connections 100 items).
const MAX_LIST_ITEMS: usize = 10_000;
/// The server's peak resident memory above which the run fails, in MiB.
const MAX_MEMORY_MIB: u64 = 1024;
/// How often the fuzzer checks that the server still answers.
const HEALTH_EVERY: Duration = Duration::from_secs(2);
/// How long an unresponsive server gets to recover before it is restarted.
const RECOVERY: Duration = Duration::from_secs(30);
/// How long it gets once the run's time is up (and at the final check).
const GRACE: Duration = Duration::from_secs(5);
/// Server restarts (after a crash or a hang) before the run gives up. A kind of case that
/// crashed the server is not sent again in the run, so this bounds distinct crashes.
const MAX_RESTARTS: usize = 20;
/// Distinct failures shown in full in the report.
const SHOWN: usize = 10;

/// The run's settings.
pub struct Settings {
    /// How long to send requests.
    pub seconds: u64,
    /// The seed of the cases.
    pub seed: u64,
    /// The one case to replay, if any.
    pub replay: Option<u64>,
    /// Whether the server accepts batches.
    pub batching: bool,
    /// Whether every case is printed.
    pub verbose: bool,
}

fn variable(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

impl Settings {
    /// The settings from the environment (see the module's documentation).
    pub fn from_environment() -> Self {
        let seed = match variable("LEVIER_FUZZ_SEED").as_deref() {
            None => DEFAULT_SEED,
            Some("random") => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_nanos() as u64)
                .unwrap_or(DEFAULT_SEED),
            Some(text) => parse_number(text)
                .unwrap_or_else(|| panic!("LEVIER_FUZZ_SEED: `{text}` is not a number")),
        };
        Self {
            seconds: variable("LEVIER_FUZZ_SECONDS")
                .map(|text| {
                    text.parse()
                        .unwrap_or_else(|_| panic!("LEVIER_FUZZ_SECONDS: `{text}` is not a number"))
                })
                .unwrap_or(DEFAULT_SECONDS),
            seed,
            replay: variable("LEVIER_FUZZ_CASE").map(|text| {
                text.parse()
                    .unwrap_or_else(|_| panic!("LEVIER_FUZZ_CASE: `{text}` is not a number"))
            }),
            batching: variable("LEVIER_FUZZ_BATCHING").is_some_and(|value| value == "1"),
            verbose: variable("LEVIER_FUZZ_VERBOSE").is_some_and(|value| value == "1"),
        }
    }
}

/// A decimal or `0x` hexadecimal number.
fn parse_number(text: &str) -> Option<u64> {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok(),
        None => text.replace('_', "").parse().ok(),
    }
}

/// The longest document or variables kept with a failure (the repro file shows this much).
const KEPT_DOCUMENT_BYTES: usize = 256 * 1024;

fn keep(text: &str) -> String {
    if text.len() <= KEPT_DOCUMENT_BYTES {
        return text.to_owned();
    }
    let mut end = KEPT_DOCUMENT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// The lines a request made the server log that say what went wrong.
fn logged_errors(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|line| {
            line.contains("\"level\":\"ERROR\"")
                || line.contains("panicked")
                || line.contains("overflow")
                || line.contains("fatal")
                || line.contains("error:")
        })
        .take(8)
        .collect()
}

/// What a dying or panicking server said: the stack overflow, or the panic's place and message
/// (the line after `panicked at`).
fn last_words(lines: &[String]) -> Option<String> {
    if let Some(line) = lines
        .iter()
        .find(|line| line.contains("has overflowed its stack"))
    {
        return Some(line.clone());
    }
    let at = lines.iter().position(|line| line.contains("panicked at"))?;
    let place = lines[at]
        .split("panicked at ")
        .nth(1)
        .unwrap_or("")
        .trim_end_matches(':');
    let message = lines.get(at + 1).map(String::as_str).unwrap_or("");
    Some(format!("panicked at {place}: {message}"))
}

/// The cause in a JSON log line: its `error` field, else its message (read even from a line
/// cut short).
fn logged_cause(line: &str) -> String {
    let field = |name: &str| {
        let key = format!("\"{name}\":");
        let at = line.find(&key)? + key.len();
        serde_json::Deserializer::from_str(&line[at..])
            .into_iter::<String>()
            .next()?
            .ok()
    };
    field("error")
        .or_else(|| field("message"))
        .unwrap_or_else(|| line.to_owned())
}

/// Running counts of what the cases got, for the summary.
#[derive(Default)]
struct Tally {
    by_kind: BTreeMap<String, (usize, usize)>,
}

impl Tally {
    fn count(&mut self, kind: &str, clean: bool) {
        let short = kind
            .split(" (")
            .next()
            .unwrap_or(kind)
            .split(':')
            .next()
            .unwrap_or(kind);
        let entry = self.by_kind.entry(short.to_owned()).or_default();
        entry.0 += 1;
        if clean {
            entry.1 += 1;
        }
    }

    fn summary(&self) -> String {
        self.by_kind
            .iter()
            .map(|(kind, (all, clean))| format!("{kind} {all} ({clean} without errors)"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A started server with its client and seeded data.
struct Target {
    server: Server,
    client: Client,
    pools: Pools,
    not_seeded: Vec<String>,
}

async fn start(settings: &Settings, model: &Model, credentials: &mut Credentials) -> Target {
    let starting = Instant::now();
    let server = Server::start(settings.batching);
    let started_in = starting.elapsed();
    let client = Client::new(&server.address, REQUEST_TIMEOUT);
    let seeded = seed::seed(&client, &credentials.admin, model, settings.seed).await;
    credentials.api_key = seeded.api_key;
    if settings.verbose {
        eprintln!(
            "server started in {started_in:?}, seeded in {:?}",
            starting.elapsed() - started_in
        );
    }
    Target {
        server,
        client,
        pools: seeded.pools,
        not_seeded: seeded.not_seeded,
    }
}

/// Waits for an unresponsive server to answer again, until `until` or until it dies.
async fn recover(server: &mut Server, client: &Client, token: &str, until: Instant) -> bool {
    loop {
        if client.healthy(token).await.is_ok() {
            return true;
        }
        if Instant::now() >= until || server.exit().is_some() {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A fuzz run: the server under test, what was found so far, and the counts for the summary.
pub struct Run {
    settings: Settings,
    database: &'static str,
    model: Model,
    credentials: Credentials,
    target: Target,
    bounds: Bounds,
    failures: Failures,
    tally: Tally,
    /// Kinds of case that crashed the server: not sent again in this run.
    crashed: BTreeSet<String>,
    restarts: usize,
    peak_memory: u64,
    sent: u64,
    skipped: u64,
    started: Instant,
    deadline: Instant,
    next_health: Instant,
    /// Why the run ended early, if it did.
    stopped: Option<String>,
}

/// What became of the server while it handled one case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// It answered.
    Answered,
    /// It gave no (complete) answer but lives.
    Unanswered,
    /// Its process ended.
    Died,
}

impl Run {
    /// Starts the server in its process and seeds it.
    pub async fn start(settings: Settings) -> Self {
        let database = if on_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        eprintln!(
            "fuzz: seed {:#x} (LEVIER_FUZZ_SEED), {} s (LEVIER_FUZZ_SECONDS), {database}{}; replay: {}",
            settings.seed,
            settings.seconds,
            if settings.batching {
                ", batching on"
            } else {
                ""
            },
            replay_hint(settings.seed)
        );
        let model = Model::load();
        let mut credentials = Credentials::mint();
        let target = start(&settings, &model, &mut credentials).await;
        let started = Instant::now();
        Self {
            deadline: started + Duration::from_secs(settings.seconds),
            next_health: started + HEALTH_EVERY,
            started,
            settings,
            database,
            model,
            credentials,
            target,
            bounds: Bounds {
                slow: SLOW,
                max_errors: MAX_ERRORS,
                max_bytes: MAX_ANSWER_BYTES,
                max_error_bytes: MAX_ERROR_BYTES,
                max_list_items: MAX_LIST_ITEMS,
            },
            failures: Failures::default(),
            tally: Tally::default(),
            crashed: BTreeSet::new(),
            restarts: 0,
            peak_memory: 0,
            sent: 0,
            skipped: 0,
            stopped: None,
        }
    }

    /// Sends cases until the time is up (or the one case to replay), checks that the server
    /// still answers, and returns the report of the failures, if any.
    pub async fn go(mut self) -> Option<String> {
        let cases: Box<dyn Iterator<Item = u64>> = match self.settings.replay {
            Some(case) => Box::new(std::iter::once(case)),
            None => Box::new(0..),
        };
        for index in cases {
            if self.settings.replay.is_none() && Instant::now() >= self.deadline {
                break;
            }
            let Some((case, fate)) = self.one(index).await else {
                continue;
            };
            let due = Instant::now() >= self.next_health;
            if (fate != Fate::Answered || due) && !self.keep_alive(index, &case, fate).await {
                break;
            }
        }
        self.finish().await
    }

    /// Sends case `index` and records what is wrong with its answer; `None` when it was not
    /// sent.
    async fn one(&mut self, index: u64) -> Option<(Case, Fate)> {
        let building = Instant::now();
        let case = build_case(
            self.settings.seed,
            index,
            &self.model,
            &self.target.pools,
            &self.credentials,
            self.settings.batching,
        );
        if self.settings.replay.is_none() && self.crashed.contains(&case.kind) {
            // Reported once; sending it again would only cost another restart.
            self.skipped += 1;
            return None;
        }
        if self.settings.verbose {
            eprintln!(
                "case {index} at {:.1} s (built in {:?}, {} bytes): {} with {}: {} {}",
                self.started.elapsed().as_secs_f64(),
                building.elapsed(),
                case.request.body.as_ref().map_or(0, Vec::len),
                case.kind,
                case.credential,
                case.request.path,
                excerpt(&case.document, 300)
            );
        }
        let mark = self.target.server.mark();
        let outcome = self.target.client.send(&case.request).await;
        self.sent += 1;
        let (mut problems, answer, fate) = match outcome {
            Ok(answer) => {
                let graphql = case.request.path == "/graphql";
                let problems = check(&answer, graphql, case.shape.as_ref(), &self.bounds);
                (problems, Some(answer), Fate::Answered)
            }
            Err(Failure::Unsendable(_)) => {
                self.skipped += 1;
                return None;
            }
            Err(Failure::NoAnswer(error)) => {
                let died = self.target.server.wait_exit(Duration::from_secs(2)).await;
                // Give the output threads a moment to read the server's last words.
                tokio::time::sleep(Duration::from_millis(300)).await;
                let words = last_words(&self.target.server.since(mark));
                match (died, words) {
                    (Some(status), words) => {
                        self.crashed.insert(case.kind.clone());
                        let words = words.unwrap_or_else(|| "no last words".to_owned());
                        let message = format!("{status}: {words}");
                        (
                            vec![problem("server process died", message)],
                            None,
                            Fate::Died,
                        )
                    }
                    (None, Some(words)) => (
                        vec![problem("server panicked", words)],
                        None,
                        Fate::Unanswered,
                    ),
                    (None, None) => (vec![problem("no answer", error)], None, Fate::Unanswered),
                }
            }
        };
        let clean = answer.as_ref().is_some_and(|answer| {
            answer.status == 200 && !String::from_utf8_lossy(&answer.body).contains("\"errors\"")
        });
        self.tally.count(&case.kind, clean);
        if let Some(answer) = &answer {
            if self.settings.verbose {
                eprintln!(
                    "  -> HTTP {} in {:?}: {}",
                    answer.status,
                    answer.elapsed,
                    excerpt(&String::from_utf8_lossy(&answer.body), 300)
                );
            }
            // Deliverable 10: "details are in the server log under the x-request-id" holds only
            // if every error line carries a request id. A line without one is flagged (a line
            // that arrives late is blamed on the next request: the message is what matters).
            let anonymous =
                self.target.server.since(mark).into_iter().find(|line| {
                    line.contains("\"level\":\"ERROR\"") && !line.contains("request_id")
                });
            if let Some(line) = anonymous {
                problems.push(problem(
                    "error logged without the request id",
                    logged_cause(&line),
                ));
            }
        }
        if !problems.is_empty() {
            self.record(index, &case, answer.as_ref(), mark, problems)
                .await;
        }
        Some((case, fate))
    }

    /// Records the problems of one case, with the server's log of it.
    async fn record(
        &mut self,
        index: u64,
        case: &Case,
        answer: Option<&Answer>,
        mark: u64,
        problems: Vec<Problem>,
    ) {
        self.failures.failing_requests += 1;
        let hidden_cause = |problem: &Problem| {
            problem.what == "INTERNAL_SERVER_ERROR" || problem.what.starts_with("HTTP 5")
        };
        if problems.iter().any(hidden_cause) {
            // The log line may still be on its way through the pipe.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let logged = logged_errors(self.target.server.since(mark));
        let answer = match answer {
            Some(answer) => format!(
                "HTTP {} in {} ms (x-request-id {}): {}",
                answer.status,
                answer.elapsed.as_millis(),
                answer.request_id.as_deref().unwrap_or("none"),
                keep(&String::from_utf8_lossy(&answer.body))
            ),
            None => "none".to_owned(),
        };
        let example = Example {
            answer,
            logged: logged.clone(),
            ..example_of(index, case)
        };
        for mut problem in problems {
            if hidden_cause(&problem) {
                // The answer hides the cause; the server log has it, and it tells bugs apart.
                problem.message = match logged.first() {
                    Some(line) => logged_cause(line),
                    None => format!("{} (nothing logged)", problem.message),
                };
            }
            self.failures.add(&problem, &example);
        }
    }

    /// Checks that the server still answers (waiting a while for a busy one), restarting it
    /// after a crash or a hang; false when the run must stop.
    async fn keep_alive(&mut self, index: u64, case: &Case, fate: Fate) -> bool {
        self.next_health = Instant::now() + HEALTH_EVERY;
        if let Some((_, peak)) = self.target.server.memory_mib() {
            self.peak_memory = self.peak_memory.max(peak);
        }
        let admin = self.credentials.admin.clone();
        let mut healthy = fate != Fate::Died && self.target.client.healthy(&admin).await.is_ok();
        if !healthy && fate != Fate::Died {
            // Past the deadline, a short grace only: the run must end near its bound.
            let left = self.deadline.saturating_duration_since(Instant::now());
            let until = Instant::now() + RECOVERY.min(left.max(GRACE));
            healthy = recover(&mut self.target.server, &self.target.client, &admin, until).await;
            if !healthy {
                let stuck = problem(
                    "server stopped answering",
                    "no answer to /healthz or `{ __typename }` while recovering",
                );
                self.failures.add(&stuck, &example_of(index, case));
            }
        }
        if healthy {
            return true;
        }
        if self.settings.replay.is_some() {
            self.stopped = Some(format!("the server was down after case {index}"));
            return false;
        }
        if Instant::now() >= self.deadline {
            self.stopped = Some(format!(
                "the server was down after case {index} when the time ran out"
            ));
            return false;
        }
        if self.restarts >= MAX_RESTARTS {
            self.stopped = Some(format!(
                "gave up at case {index} after {} restarts",
                self.restarts
            ));
            return false;
        }
        self.restarts += 1;
        self.target = start(&self.settings, &self.model, &mut self.credentials).await;
        true
    }

    /// The final checks (the server answers, its memory stayed bounded) and the report.
    async fn finish(mut self) -> Option<String> {
        let admin = self.credentials.admin.clone();
        if self.stopped.is_none()
            && !recover(
                &mut self.target.server,
                &self.target.client,
                &admin,
                Instant::now() + GRACE,
            )
            .await
        {
            let error = self
                .target
                .client
                .healthy(&admin)
                .await
                .err()
                .unwrap_or_else(|| "it answered too late".to_owned());
            let example = Example {
                target: "GET /healthz, POST { __typename }".to_owned(),
                ..blank_example(self.sent, "final health check")
            };
            self.failures.add(
                &problem("server not answering after the run", error),
                &example,
            );
        }
        if let Some((_, peak)) = self.target.server.memory_mib() {
            self.peak_memory = self.peak_memory.max(peak);
        }
        if self.peak_memory > MAX_MEMORY_MIB {
            let message = format!(
                "peak resident memory {} MiB (bound {MAX_MEMORY_MIB})",
                self.peak_memory
            );
            self.failures.add(
                &problem("server memory", message),
                &blank_example(self.sent, "memory check"),
            );
        }
        let summary = format!(
            "fuzz (seed {:#x}, {}): {} requests in {:.1} s ({} skipped: unsendable, or of a kind that crashed the server), {} server restarts{}, peak server memory {} MiB, not seeded: [{}]\n  {}\n  {} failing requests, {} distinct failures; replay with {}",
            self.settings.seed,
            self.database,
            self.sent,
            self.started.elapsed().as_secs_f64(),
            self.skipped,
            self.restarts,
            self.stopped
                .as_ref()
                .map(|why| format!(" ({why})"))
                .unwrap_or_default(),
            self.peak_memory,
            self.target.not_seeded.join(", "),
            self.tally.summary(),
            self.failures.failing_requests,
            self.failures.distinct(),
            replay_hint(self.settings.seed)
        );
        eprintln!("{summary}");
        if self.failures.is_empty() {
            return None;
        }
        let file = format!(
            "{}/levier-fuzz-{:x}-{}.txt",
            env!("CARGO_TARGET_TMPDIR"),
            self.settings.seed,
            self.database.to_lowercase()
        );
        let written = std::fs::write(&file, self.failures.full(KEPT_DOCUMENT_BYTES))
            .map(|()| format!("every failure's full request: {file}"))
            .unwrap_or_else(|e| format!("(could not write {file}: {e})"));
        Some(format!(
            "{summary}\n{}\n{written}",
            self.failures.report(SHOWN, 1_500)
        ))
    }
}

/// How to run the same cases again.
fn replay_hint(seed: u64) -> String {
    format!(
        "LEVIER_FUZZ_SEED={seed:#x} [LEVIER_FUZZ_CASE=<case>] cargo test -p levier-tests -- fuzz::"
    )
}

fn problem(what: &str, message: impl Into<String>) -> Problem {
    Problem {
        what: what.to_owned(),
        message: message.into(),
        detail: String::new(),
    }
}

/// The report's view of case `index`, without its answer.
fn example_of(index: u64, case: &Case) -> Example {
    Example {
        case: index,
        kind: case.kind.clone(),
        credential: case.credential.to_owned(),
        target: format!(
            "{} {}",
            case.request.method,
            excerpt(&case.request.path, 200)
        ),
        document: keep(&case.document),
        variables: keep(&case.variables),
        answer: "none".to_owned(),
        logged: Vec::new(),
    }
}

/// An example for a check that is not about one request.
fn blank_example(case: u64, kind: &str) -> Example {
    Example {
        case,
        kind: kind.to_owned(),
        credential: String::new(),
        target: String::new(),
        document: String::new(),
        variables: String::new(),
        answer: String::new(),
        logged: Vec::new(),
    }
}
