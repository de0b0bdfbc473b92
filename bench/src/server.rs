//! The server under test: the release `levier` binary started as a child process on a free
//! loopback port, watched for readiness, sampled for memory, and stopped with SIGTERM.

use std::{
    fs::File,
    net::{Ipv4Addr, SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use serde::Serialize;

/// How long the server may take to answer `/readyz` (it migrates a fresh database first).
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// How long the server may take to stop after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the `levier` binary is when none is given: beside the bench's own executable, that is
/// `target/release/levier` after `cargo build --release -p levier`.
pub fn default_binary() -> anyhow::Result<PathBuf> {
    let own = std::env::current_exe().context("locating the bench executable")?;
    let directory = own
        .parent()
        .context("the bench executable has no parent folder")?;
    Ok(directory.join(format!("levier{}", std::env::consts::EXE_SUFFIX)))
}

/// Settings that put the rate limits out of reach (a billion cost units a second and as much
/// burst, per credential and per tenant). The `plans` and `kpi` scenarios measure how much the
/// server can serve, which the default budgets would cap: at 10 000 units a second per
/// credential, the `plans` query (about 8 800 units) passes about once a second after the
/// burst. The seeding server of `noisy-neighbour` uses them too, so that seeding is never
/// refused.
pub fn unlimited() -> Vec<(&'static str, String)> {
    [
        "LEVIER_RATE_LIMIT_CREDENTIAL_PER_SECOND",
        "LEVIER_RATE_LIMIT_CREDENTIAL_BURST",
        "LEVIER_RATE_LIMIT_TENANT_PER_SECOND",
        "LEVIER_RATE_LIMIT_TENANT_BURST",
    ]
    .into_iter()
    .map(|name| (name, 1_000_000_000.to_string()))
    .collect()
}

/// Memory figures of a process, from `/proc/<pid>/status`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Memory {
    /// Peak resident set size (`VmHWM`), in KiB.
    pub peak_rss_kib: u64,
    /// Current resident set size (`VmRSS`), in KiB.
    pub rss_kib: u64,
}

impl Memory {
    /// Reads the figures of process `pid` (Linux only).
    pub fn of(pid: u32) -> anyhow::Result<Self> {
        let path = format!("/proc/{pid}/status");
        let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        let field = |name: &str| -> anyhow::Result<u64> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .with_context(|| format!("no {name} in {path}"))
        };
        Ok(Self {
            peak_rss_kib: field("VmHWM:")?,
            rss_kib: field("VmRSS:")?,
        })
    }
}

/// A running server child process. Dropping it kills the process if it was not stopped.
pub struct Server {
    child: Option<Child>,
    pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    log: PathBuf,
}

/// Settings of the child process.
pub struct Launch<'a> {
    /// The `levier` executable.
    pub binary: &'a Path,
    /// `LEVIER_DATABASE_URL`.
    pub database_url: &'a str,
    /// `LEVIER_WORKERS`, when set.
    pub workers: Option<usize>,
    /// Where the child's stdout and stderr go.
    pub log: PathBuf,
    /// Further `LEVIER_*` settings of the child (e.g. its rate limits).
    pub env: Vec<(&'static str, String)>,
}

impl Server {
    /// Starts the server on a free port of 127.0.0.1 with a JSON log filtered at `warn`, and
    /// waits until `/readyz` answers 200.
    pub async fn start(launch: Launch<'_>, client: &reqwest::Client) -> anyhow::Result<Self> {
        if !launch.binary.is_file() {
            bail!(
                "no server binary at {}: build it first with `cargo build --release -p levier` \
                 (or pass --server-binary)",
                launch.binary.display()
            );
        }
        let port = free_loopback_port()?;
        let bind = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stdout = File::create(&launch.log)
            .with_context(|| format!("creating {}", launch.log.display()))?;
        let stderr = stdout.try_clone().context("duplicating the log file")?;
        let mut command = Command::new(launch.binary);
        // Only the settings below reach the server, whatever the calling shell exports.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("LEVIER_") {
                command.env_remove(&name);
            }
        }
        command
            .arg("serve")
            .env("LEVIER_DATABASE_URL", launch.database_url)
            .env("LEVIER_BIND", bind.to_string())
            .env("LEVIER_LOG_FORMAT", "json")
            .env("LEVIER_SHUTDOWN_TIMEOUT_SECONDS", "5")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        if let Some(workers) = launch.workers {
            command.env("LEVIER_WORKERS", workers.to_string());
        }
        command.envs(launch.env.iter().map(|(name, value)| (name, value)));
        let child = command
            .spawn()
            .with_context(|| format!("starting {}", launch.binary.display()))?;
        let mut server = Self {
            pid: child.id(),
            child: Some(child),
            base_url: format!("http://{bind}"),
            log: launch.log,
        };
        server.wait_ready(client).await?;
        Ok(server)
    }

    /// `POST` target of GraphQL requests.
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base_url)
    }

    /// The child's memory figures now.
    pub fn memory(&self) -> anyhow::Result<Memory> {
        Memory::of(self.pid)
    }

    /// `GET /readyz`'s `rateLimits`: where the server keeps its rate limits' buckets now.
    pub async fn rate_limit_buckets(
        &self,
        client: &reqwest::Client,
    ) -> anyhow::Result<serde_json::Value> {
        let body: serde_json::Value = client
            .get(format!("{}/readyz", self.base_url))
            .send()
            .await
            .context("asking /readyz")?
            .json()
            .await
            .context("reading /readyz")?;
        Ok(body["rateLimits"].clone())
    }

    /// The last lines of the server's log, to explain a failure.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    async fn wait_ready(&mut self, client: &reqwest::Client) -> anyhow::Result<()> {
        let url = format!("{}/readyz", self.base_url);
        let started = Instant::now();
        loop {
            if let Some(child) = self.child.as_mut()
                && let Some(status) = child.try_wait().context("watching the server")?
            {
                self.child = None;
                bail!(
                    "the server exited during startup ({status}); its log:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(response) = client.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                bail!(
                    "the server was not ready within {READY_TIMEOUT:?}; its log:\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM (graceful shutdown) and waits for the process to exit; kills it if it
    /// has not exited within 15 seconds.
    pub async fn stop(mut self) -> anyhow::Result<ExitStatus> {
        let Some(mut child) = self.child.take() else {
            bail!("the server had already exited");
        };
        let signalled = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status()
            .context("running kill")?;
        if !signalled.success() {
            child.kill().ok();
            bail!("kill -TERM {} failed ({signalled})", self.pid);
        }
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().context("waiting for the server")? {
                return Ok(status);
            }
            if started.elapsed() > STOP_TIMEOUT {
                child.kill().ok();
                child.wait().ok();
                bail!("the server did not stop within {STOP_TIMEOUT:?} of SIGTERM; killed");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only on an early exit (error or panic): the normal path stops the child with SIGTERM.
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

/// A port of 127.0.0.1 that is free now (the listener is closed before the server binds it).
fn free_loopback_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).context("finding a free port")?;
    Ok(listener
        .local_addr()
        .context("reading the free port")?
        .port())
}

#[cfg(test)]
mod tests {
    use super::Memory;

    #[test]
    fn reads_its_own_memory() {
        let memory = Memory::of(std::process::id()).ok();
        assert!(memory.is_some_and(|m| m.peak_rss_kib >= m.rss_kib && m.rss_kib > 0));
    }
}
