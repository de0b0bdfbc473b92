//! The command line: `serve` (the default), `migrate`, `token`, `seed-demo`, `export-schema`.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::{
    auth::{Claims, Role, jwt},
    build_app,
    config::{BindAddress, Config, Settings},
    db::{self, DatabaseState, SchemaAction},
    demo, graphql, listen, telemetry,
};

/// Levier: a GraphQL API for a company's digital-marketing action plan.
#[derive(Debug, Parser)]
#[command(name = "levier", version, about)]
pub struct Cli {
    /// Settings, from flags or `LEVIER_*` variables.
    #[command(flatten)]
    pub settings: Settings,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit. On PostgreSQL they are applied under an
    /// advisory lock, as the servers do at start: run it before starting servers with
    /// LEVIER_NO_MIGRATE, or alongside servers that migrate, in any order.
    Migrate,
    /// Print a development token signed with the configured HS256 secret.
    Token {
        /// Tenant key (a lowercase slug); the tenant is created on first use.
        #[arg(long)]
        tenant: Option<String>,
        /// Role in the tenant: viewer, editor or admin.
        #[arg(long, default_value = "admin")]
        role: Role,
        /// Subject (user id).
        #[arg(long, default_value = "developer")]
        subject: String,
        /// An agency token instead: tenant=role pairs, comma-separated (acme=editor,globex=viewer).
        #[arg(long, conflicts_with = "tenant", value_delimiter = ',')]
        tenants: Vec<String>,
        /// Lifetime in hours.
        #[arg(long, default_value_t = 24)]
        hours: u64,
    },
    /// Seed a demo tenant with a realistic full plan (Maison Lumière, candle makers in Lyon)
    /// and print an ADMIN token, the GraphiQL address and a first query.
    SeedDemo {
        /// Tenant key (a lowercase slug); the tenant is created if needed.
        #[arg(long, default_value = "demo")]
        tenant: String,
        /// Lifetime of the printed token, in hours.
        #[arg(long, default_value_t = 24)]
        hours: u64,
        /// Delete the tenant's existing demo plan first instead of refusing.
        #[arg(long)]
        replace: bool,
        /// The plan's calendar year; the current one when omitted.
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write the GraphQL schema (SDL) to a file.
    ExportSchema {
        /// Where to write it.
        #[arg(long, default_value = "schema.graphql")]
        output: PathBuf,
    },
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.settings.into_config()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let _telemetry = telemetry::init(config.log_format, &config.telemetry)?;
            let connection = db::connect(&config, &db::StatementCounter::default()).await?;
            db::prepare(
                &config.database_url,
                &connection,
                SchemaAction::Migrate,
                &DatabaseState::default(),
            )
            .await?;
            tracing::info!("the database schema is up to date");
            Ok(())
        }
        Command::Token {
            tenant,
            role,
            subject,
            tenants,
            hours,
        } => {
            println!("{}", mint(&config, tenant, role, subject, &tenants, hours)?);
            Ok(())
        }
        Command::SeedDemo {
            tenant,
            hours,
            replace,
            year,
        } => {
            seed_demo(
                &config,
                &tenant,
                hours,
                demo::SeedOptions {
                    year,
                    replace,
                    measured_until: None,
                },
            )
            .await
        }
        Command::ExportSchema { output } => {
            let schema = graphql::build_schema(config.query_limits);
            std::fs::write(&output, graphql::sdl::export(&schema))
                .with_context(|| format!("writing {}", output.display()))?;
            println!("wrote {}", output.display());
            Ok(())
        }
    }
}

fn mint(
    config: &Config,
    tenant: Option<String>,
    role: Role,
    subject: String,
    tenants: &[String],
    hours: u64,
) -> anyhow::Result<String> {
    let Some(secret) = config.hs256_secret() else {
        bail!(
            "`levier token` signs with LEVIER_JWT_SECRET; with a public key, tokens come from your identity provider"
        );
    };
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let mut claims = Claims {
        sub: subject,
        tid: None,
        role: None,
        tenants: None,
        exp: now + hours * 3600,
        iat: Some(now),
        nbf: None,
        iss: config.jwt.issuer.clone(),
        aud: config.jwt.audience.clone().map(serde_json::Value::String),
    };
    if tenants.is_empty() {
        claims.tid = Some(tenant.unwrap_or_else(|| "acme".to_owned()));
        claims.role = Some(role.to_string());
    } else {
        let mut map = std::collections::BTreeMap::new();
        for pair in tenants {
            let Some((tenant, role)) = pair.split_once('=') else {
                bail!("--tenants takes tenant=role pairs, not `{pair}`")
            };
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            map.insert(tenant.to_owned(), role.to_string());
        }
        claims.tenants = Some(map);
    }
    Ok(jwt::mint_hs256(secret, &claims)?)
}

/// The first query printed by `seed-demo`: the plan with its strategy, campaigns and actions.
pub const DEMO_FIRST_QUERY: &str = "{
  plans(first: 5) {
    nodes {
      id name periodStart periodEnd budget currency status
      personas { name occupation preferredLevers }
      swotItems { quadrant statement impact }
      marketingMix { dimension text }
      objectives { title kpi { key } baseline target deadline }
      leverAllocations { lever budget priority }
      leverInteractions { fromLever toLever kind note }
      campaigns(first: 10) { nodes { name kind status utmCode levers personas { name } parent { name } } }
      actions(first: 30, orderBy: {field: PRIORITY, direction: DESC}) { totalCount nodes { title journeyStep phase funnelStage owner status budget actualCost iceScore } }
    }
  }
}";

async fn seed_demo(
    config: &Config,
    tenant: &str,
    hours: u64,
    options: demo::SeedOptions,
) -> anyhow::Result<()> {
    let connection = db::connect(config, &db::StatementCounter::default()).await?;
    let action = if config.database_start.migrate {
        SchemaAction::Migrate
    } else {
        SchemaAction::Check
    };
    db::prepare(
        &config.database_url,
        &connection,
        action,
        &DatabaseState::default(),
    )
    .await?;
    let summary = match demo::seed(&connection, tenant, options).await {
        Ok(summary) => summary,
        Err(refusal @ demo::SeedError::AlreadySeeded { .. }) => {
            println!("{refusal}.");
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    println!(
        "Seeded \"{}\" in tenant `{tenant}`{}:",
        summary.plan_name,
        if summary.replaced_plans > 0 {
            " (the previous demo plan was deleted first)"
        } else {
            ""
        }
    );
    println!(
        "  {} personas ({} new), {} SWOT items, {} PEST factors, {} market trends, {} competitors,",
        summary.personas,
        summary.personas_created,
        summary.swot_items,
        summary.pest_factors,
        summary.market_trends,
        summary.competitors
    );
    println!(
        "  a brand, {} marketing-mix dimensions, {} segments, {} objectives, {} lever allocations,",
        summary.mix_dimensions, summary.segments, summary.objectives, summary.lever_allocations
    );
    println!(
        "  {} lever interactions, {} campaigns, {} actions, {} content items, {} measurements.",
        summary.lever_interactions,
        summary.campaigns,
        summary.actions,
        summary.content_items,
        summary.measurements
    );
    println!();
    match mint(
        config,
        Some(tenant.to_owned()),
        Role::Admin,
        "demo-admin".to_owned(),
        &[],
        hours,
    ) {
        Ok(token) => {
            println!("An ADMIN token for tenant `{tenant}`, valid {hours} hours:");
            println!();
            println!("{token}");
            println!();
            let start = invocation();
            let start = start.strip_suffix(" --").unwrap_or(&start);
            println!(
                "Start the server (`{start}`), open GraphiQL at http://{}/graphql, add the \
                 header {{\"Authorization\": \"Bearer <the token>\"}} and run:",
                config.bind
            );
        }
        Err(error) => {
            println!("No token printed: {error}.");
            println!(
                "With a token of tenant `{tenant}`, open GraphiQL at http://{}/graphql and run:",
                config.bind
            );
        }
    }
    println!();
    println!("{DEMO_FIRST_QUERY}");
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // Dropped when serving ends: the spans not yet exported are flushed then.
    let _telemetry = telemetry::init(config.log_format, &config.telemetry)?;
    // Before the database: a port in use is told at once, not after waiting for PostgreSQL.
    let listeners = listen::bind(&config.bind)?;
    let app = build_app(config.clone()).await?;
    if config.jwt.uses_development_secret {
        tracing::warn!(
            "using the built-in development secret: never in production. Mint a token with: \
             {} token --tenant acme --role admin --subject alice",
            invocation()
        );
    }
    let addresses = listeners.addresses();
    let urls = graphql_urls(&config.bind, &addresses);
    let database = redact_url(&config.database_url);
    if app.database_state().is_ready() {
        tracing::info!(?addresses, %database, "Levier is serving GraphQL at {urls}");
    } else {
        tracing::info!(?addresses, %database, "Levier listens at {urls}, and serves once its database is ready");
    }
    if let Some(address) = config.metrics.bind {
        let listener = TcpListener::bind(address)
            .with_context(|| format!("binding LEVIER_METRICS_BIND {address}"))?;
        tokio::spawn(app.serve_metrics(listener)?);
        tracing::info!(%address, "serving the metrics at http://{address}/metrics");
    }
    app.serve_all(listeners.sockets)?.await?;
    tracing::info!("stopped");
    Ok(())
}

/// How the person who started this program would run it again, to quote in advice: `cargo run
/// --` under Cargo (which sets `CARGO` for what it runs; not a setting, so not in `Config`),
/// otherwise the program as it was invoked (`levier`, `./target/release/levier`).
fn invocation() -> String {
    if std::env::var_os("CARGO").is_some() {
        return "cargo run --".to_owned();
    }
    std::env::args_os()
        .next()
        .map(|program| program.to_string_lossy().into_owned())
        .filter(|program| !program.is_empty())
        .unwrap_or_else(|| "levier".to_owned())
}

/// The GraphQL endpoint's address(es) for the log: by its host name when `LEVIER_BIND` gives
/// one, with the port actually bound.
fn graphql_urls(bind: &BindAddress, addresses: &[SocketAddr]) -> String {
    let port = addresses.first().map_or(bind.port, SocketAddr::port);
    if bind.host.parse::<std::net::IpAddr>().is_err() {
        return format!("http://{}:{port}/graphql", bind.host);
    }
    addresses
        .iter()
        .map(|address| format!("http://{address}/graphql"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// An error and its causes on one line, each cause once: an error whose message already quotes
/// its cause (SeaORM's do) would otherwise print it again for each link of the chain.
pub fn describe_error(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// The database URL without its password, for the log.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{describe_error, redact_url};

    #[test]
    fn a_cause_quoted_by_its_error_is_not_repeated() {
        #[derive(Debug, thiserror::Error)]
        #[error("Connection Error: {0}")]
        struct Quoting(#[source] std::io::Error);
        let quoting = anyhow::Error::new(Quoting(std::io::Error::other("refused")));
        assert_eq!(describe_error(&quoting), "Connection Error: refused");
        let context = anyhow::Error::new(std::io::Error::other("no space left"))
            .context("writing schema.graphql");
        assert_eq!(
            describe_error(&context),
            "writing schema.graphql: no space left"
        );
    }

    #[test]
    fn passwords_never_reach_the_log() {
        assert_eq!(
            redact_url("postgres://levier:s3cret@db:5432/levier"),
            "postgres://levier:***@db:5432/levier"
        );
        assert_eq!(
            redact_url("sqlite://levier.sqlite?mode=rwc"),
            "sqlite://levier.sqlite?mode=rwc"
        );
    }
}
