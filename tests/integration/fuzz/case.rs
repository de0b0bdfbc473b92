//! One case of a fuzz run: a credential and a request (a generated query or mutation, an
//! edited document, an attack shape, an odd body, a plain endpoint, a batch), built from the
//! run's seed, the case's number and the seeded pools only, so that a case can be replayed.

use std::{collections::BTreeMap, fmt::Write as _};

use levier::auth::jwt::mint_hs256;
use reqwest::Method;

use super::{
    attacks::{attack_document, mutate_document, odd_body},
    client::Request,
    generate::{Generator, Operation, Pools, Root, Shape, Theme, encode_id},
    model::{Kind, Model},
    rng::Rng,
    value::json_string,
};
use crate::support::{base_claims, mint};

/// The tenant fuzzed; another tenant exists for cross-tenant credentials.
pub const TENANT: &str = "fuzz";

/// The credentials a case can send.
pub struct Credentials {
    /// An ADMIN of the fuzzed tenant (seeding and health checks use it).
    pub admin: String,
    editor: String,
    viewer: String,
    other_tenant: String,
    agency: String,
    expired: String,
    foreign_secret: String,
    /// The secret of an API key of the fuzzed tenant, once seeded.
    pub api_key: Option<String>,
}

impl Credentials {
    /// Mints every token a case may send.
    pub fn mint() -> Self {
        let mut expired = base_claims(TENANT, "admin");
        expired.exp = 1_000_000;
        let mut agency = base_claims("unused", "viewer");
        agency.tid = None;
        agency.role = None;
        agency.tenants = Some(BTreeMap::from([
            (TENANT.to_owned(), "admin".to_owned()),
            ("fuzz-other".to_owned(), "viewer".to_owned()),
        ]));
        Self {
            admin: mint(&base_claims(TENANT, "admin")),
            editor: mint(&base_claims(TENANT, "editor")),
            viewer: mint(&base_claims(TENANT, "viewer")),
            other_tenant: mint(&base_claims("fuzz-other", "admin")),
            agency: mint(&agency),
            expired: mint(&expired),
            foreign_secret: mint_hs256(
                "not-the-server-secret-but-long-enough-to-sign",
                &base_claims(TENANT, "admin"),
            )
            .unwrap_or_else(|e| panic!("cannot sign: {e}")),
            api_key: None,
        }
    }

    /// A credential for one case: mostly an ADMIN of the fuzzed tenant, so that mutations
    /// reach the domain. Returns its description, the `Authorization` value and extra headers.
    fn pick(&self, rng: &mut Rng) -> (&'static str, Option<String>, Vec<(String, String)>) {
        let bearer = |token: &str| Some(format!("Bearer {token}"));
        match rng.weighted(&[
            (72, 0),
            (5, 1),
            (4, 2),
            (6, 3),
            (3, 4),
            (3, 5),
            (2, 6),
            (5, 7),
        ]) {
            0 => ("an ADMIN token", bearer(&self.admin), Vec::new()),
            1 => ("an EDITOR token", bearer(&self.editor), Vec::new()),
            2 => ("a VIEWER token", bearer(&self.viewer), Vec::new()),
            3 => ("no credential", None, Vec::new()),
            4 => (
                "another tenant's ADMIN token",
                bearer(&self.other_tenant),
                Vec::new(),
            ),
            5 => (
                "an agency token",
                bearer(&self.agency),
                vec![("x-levier-tenant".to_owned(), TENANT.to_owned())],
            ),
            6 => match &self.api_key {
                Some(secret) => ("an API key", bearer(secret), Vec::new()),
                None => ("an ADMIN token", bearer(&self.admin), Vec::new()),
            },
            _ => {
                let junk = match rng.below(9) {
                    0 => "Bearer".to_owned(),
                    1 => "Bearer ".to_owned(),
                    2 => "Bearer x.y.z".to_owned(),
                    3 => "Basic YWxhZGRpbjpvcGVuc2VzYW1l".to_owned(),
                    4 => format!("Bearer {}", "a".repeat(rng.size(100, 60_000))),
                    5 => format!("Bearer {}", self.expired),
                    6 => format!("Bearer {}", self.foreign_secret),
                    7 => format!("bearer {}", self.admin),
                    _ => format!("Bearer {}x", self.admin),
                };
                ("a bad credential", Some(junk), Vec::new())
            }
        }
    }
}

/// One case: the request and what the report says of it.
pub struct Case {
    /// What kind of case (`query (chaos 0.1, NUL bytes)`, `attack: deep list literal`…).
    pub kind: String,
    /// The credential, described.
    pub credential: &'static str,
    /// The request.
    pub request: Request,
    /// The GraphQL document (or the body, or the path, when there is no document).
    pub document: String,
    /// The variables, as JSON text.
    pub variables: String,
    /// What the answer's data looks like, for a generated operation.
    pub shape: Option<Shape>,
}

fn graphql_body(document: &str, variables: &str, operation_name: Option<&str>) -> String {
    let mut body = format!(
        "{{\"query\":{},\"variables\":{variables}",
        json_string(document)
    );
    if let Some(name) = operation_name {
        let _ = write!(body, ",\"operationName\":{}", json_string(name));
    }
    body.push('}');
    body
}

fn post(body: Vec<u8>) -> Request {
    Request {
        method: Method::POST,
        path: "/graphql".to_owned(),
        body: Some(body),
        content_type: Some("application/json".to_owned()),
        authorization: None,
        headers: Vec::new(),
    }
}

/// What a case is made of.
#[derive(Clone, Copy)]
enum Make {
    Query,
    Mutation,
    Edited,
    Attack,
    Odd,
    Plain,
    Batch,
}

/// Builds case `index` of the run seeded `seed`: it depends on nothing else but the pools.
pub fn build_case(
    seed: u64,
    index: u64,
    model: &Model,
    pools: &Pools,
    credentials: &Credentials,
    batching: bool,
) -> Case {
    let mut rng = Rng::for_case(seed, index);
    let (credential, authorization, credential_headers) = credentials.pick(&mut rng);
    let chaos = f64::from(rng.weighted(&[(30, 0u8), (40, 10), (20, 40), (10, 90)])) / 100.0;
    let make = rng.weighted(&[
        (30, Make::Query),
        (27, Make::Mutation),
        (13, Make::Edited),
        (14, Make::Attack),
        (8, Make::Odd),
        (5, Make::Plain),
        (if batching { 3 } else { 0 }, Make::Batch),
    ]);
    let theme = rng.weighted(&[
        (50, Theme::Plain),
        (12, Theme::Nul),
        (13, Theme::LongText),
        (12, Theme::WidePeriod),
        (13, Theme::BigAmounts),
    ]);
    let generate = |rng: &mut Rng, root: Root, chaos: f64| -> Operation {
        let stream = Rng::for_case(rng.next_u64(), index);
        let mut generator = Generator::new(model, pools, stream, chaos);
        generator.theme = theme;
        generator.operation(root)
    };
    let mut case = match make {
        Make::Query | Make::Mutation => {
            let root = if matches!(make, Make::Query) {
                Root::Query
            } else {
                Root::Mutation
            };
            let operation = generate(&mut rng, root, chaos);
            let body = graphql_body(
                &operation.document,
                &operation.variables,
                operation.operation_name.as_deref(),
            );
            Case {
                kind: format!(
                    "{} (chaos {chaos}{})",
                    if matches!(make, Make::Query) {
                        "query"
                    } else {
                        "mutation"
                    },
                    theme.name()
                ),
                credential,
                request: post(body.into_bytes()),
                document: operation.document,
                variables: operation.variables,
                shape: Some(operation.shape),
            }
        }
        Make::Edited => {
            let root = if rng.chance(0.5) {
                Root::Query
            } else {
                Root::Mutation
            };
            let operation = generate(&mut rng, root, chaos);
            let document = mutate_document(&mut rng, &operation.document);
            let body = graphql_body(
                &document,
                &operation.variables,
                operation.operation_name.as_deref(),
            );
            Case {
                kind: "edited document".to_owned(),
                credential,
                request: post(body.into_bytes()),
                document,
                variables: operation.variables,
                shape: None,
            }
        }
        Make::Attack => {
            let attack = attack_document(&mut rng, pools);
            let body = graphql_body(
                &attack.document,
                &attack.variables,
                attack.operation_name.as_deref(),
            );
            Case {
                kind: format!("attack: {}", attack.name),
                credential,
                request: post(body.into_bytes()),
                document: attack.document,
                variables: attack.variables,
                shape: None,
            }
        }
        Make::Odd => {
            let operation = generate(&mut rng, Root::Query, 0.0);
            let valid = graphql_body(&operation.document, &operation.variables, None);
            let odd = odd_body(&mut rng, &valid);
            let mut request = post(odd.body.clone());
            request.content_type = odd.content_type.map(str::to_owned);
            request.headers = odd
                .headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect();
            Case {
                kind: format!("body: {}", odd.name),
                credential,
                request,
                document: String::from_utf8_lossy(&odd.body).into_owned(),
                variables: String::new(),
                shape: None,
            }
        }
        Make::Plain => plain_case(&mut rng, model, pools, credential),
        Make::Batch => {
            let count = rng.size(2, 200);
            let distinct: Vec<String> = (0..rng.between(1, 3))
                .map(|_| {
                    let operation = generate(&mut rng, Root::Query, chaos);
                    graphql_body(&operation.document, &operation.variables, None)
                })
                .collect();
            let longest = distinct.iter().map(String::len).max().unwrap_or(1).max(1);
            let count = count.min(2_000_000 / longest).max(1);
            let items: Vec<&str> = (0..count)
                .map(|i| distinct[i % distinct.len()].as_str())
                .collect();
            let body = format!("[{}]", items.join(","));
            Case {
                kind: format!("batch of {count}"),
                credential,
                request: post(body.clone().into_bytes()),
                document: body,
                variables: String::new(),
                shape: None,
            }
        }
    };
    case.request.authorization = authorization;
    case.request.headers.extend(credential_headers);
    case
}

/// Percent-encodes a query-string or path component.
fn encode_component(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A GET of a plain endpoint (the CSV exports, the plan document) with random parameters.
fn plain_case(rng: &mut Rng, model: &Model, pools: &Pools, credential: &'static str) -> Case {
    let enum_values = |name: &str| -> Vec<String> {
        match model.kind(name) {
            Kind::Enum(values) => values.clone(),
            _ => Vec::new(),
        }
    };
    let ids = |rng: &mut Rng, type_name: &str| -> String {
        let pool = pools.ids.get(type_name).cloned().unwrap_or_default();
        if pool.is_empty() || rng.chance(0.2) {
            encode_id(&format!("{type_name}:{:032x}", rng.next_u64()))
        } else {
            rng.pick(&pool).clone()
        }
    };
    let edge = |rng: &mut Rng| -> String {
        match rng.below(9) {
            0 => String::new(),
            1 => "\u{0}".to_owned(),
            2 => "a\u{0}b".to_owned(),
            3 => "x".repeat(rng.size(100, 50_000)),
            4 => "%".repeat(rng.size(1, 5_000)),
            5 => "é".repeat(101),
            6 => ",,,".to_owned(),
            7 => "0001-01-01".to_owned(),
            _ => "9999-12-31".to_owned(),
        }
    };
    let path = match rng.below(3) {
        0 | 1 => {
            let series = rng.chance(0.5);
            let names: &[&str] = if series {
                &[
                    "kpis",
                    "from",
                    "to",
                    "grain",
                    "groupBy",
                    "planId",
                    "campaignIds",
                    "levers",
                    "personaIds",
                ]
            } else {
                &[
                    "kpis",
                    "from",
                    "to",
                    "planId",
                    "campaignIds",
                    "levers",
                    "personaIds",
                    "source",
                    "grain",
                    "groupBy",
                ]
            };
            let mut pairs = Vec::new();
            for name in names {
                if !rng.chance(0.6) {
                    continue;
                }
                let wild = rng.chance(0.3);
                let value = if wild {
                    edge(rng)
                } else {
                    match *name {
                        "kpis" => {
                            let count = rng.between(1, 3);
                            (0..count)
                                .map(|_| match pools.kpi_keys.as_slice() {
                                    [] => "clicks".to_owned(),
                                    keys => rng.pick(keys).clone(),
                                })
                                .collect::<Vec<_>>()
                                .join(",")
                        }
                        "from" => "2027-03-01".to_owned(),
                        "to" => (*rng.pick(&["2027-03-31", "2027-12-31"])).to_owned(),
                        "grain" => rng.pick(&enum_values("TimeGrain")).clone(),
                        "groupBy" => (*rng.pick(&[
                            "CAMPAIGN",
                            "LEVER",
                            "PERSONA",
                            "ACTION",
                            "campaign,lever",
                        ]))
                        .to_owned(),
                        "planId" => ids(rng, "Plan"),
                        "campaignIds" => ids(rng, "Campaign"),
                        "personaIds" => ids(rng, "Persona"),
                        "levers" => rng.pick(&enum_values("Lever")).clone(),
                        _ => (*rng.pick(&["manual", "ga4"])).to_owned(),
                    }
                };
                pairs.push(((*name).to_owned(), value));
            }
            if rng.chance(0.1) {
                pairs.push(("unknown".to_owned(), "1".to_owned()));
            }
            if rng.chance(0.1) && !pairs.is_empty() {
                let copy = pairs[0].clone();
                pairs.push(copy);
            }
            let query: Vec<String> = pairs
                .iter()
                .map(|(name, value)| {
                    format!("{}={}", encode_component(name), encode_component(value))
                })
                .collect();
            let endpoint = if series {
                "/export/kpi-series.csv"
            } else {
                "/export/measurements.csv"
            };
            format!("{endpoint}?{}", query.join("&"))
        }
        _ => {
            let id = match rng.below(4) {
                0 | 1 => ids(rng, "Plan"),
                2 => ids(rng, "Persona"),
                _ => edge(rng),
            };
            format!("/plans/{}/document.md", encode_component(&id))
        }
    };
    let kind = if path.starts_with("/plans/") {
        "GET /plans/{id}/document.md".to_owned()
    } else {
        format!("GET {}", path.split('?').next().unwrap_or(""))
    };
    Case {
        kind,
        credential,
        request: Request {
            method: Method::GET,
            path: path.clone(),
            body: None,
            content_type: None,
            authorization: None,
            headers: Vec::new(),
        },
        document: path,
        variables: String::new(),
        shape: None,
    }
}
