//! The database a run works on: a fresh SQLite file in a temporary folder (the default), or a
//! fresh PostgreSQL database created for the run and dropped at its end.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database};
use serde::Serialize;

/// Which database engine a run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// A temporary SQLite file.
    Sqlite,
    /// A temporary database on a PostgreSQL server.
    Postgres,
}

impl Engine {
    /// `sqlite` or `postgres`, as used in file names and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// A database made for one run, and the temporary folder beside it (server log, SQLite file).
#[derive(Debug)]
pub struct BenchDatabase {
    /// The engine.
    pub engine: Engine,
    /// The URL the server and the raw reads connect to.
    pub url: String,
    /// The temporary folder of the run, removed at the end.
    pub work_dir: PathBuf,
    /// PostgreSQL only: the server URL to reconnect to for dropping the database, and its name.
    postgres: Option<(String, String)>,
}

impl BenchDatabase {
    /// Creates the temporary folder and the database: an SQLite file inside the folder when
    /// `postgres_url` is `None`, otherwise a new `levier_bench_<timestamp>` database on that
    /// PostgreSQL server (the URL's own database, if any, is only used to run `CREATE DATABASE`).
    pub async fn create(postgres_url: Option<&str>) -> anyhow::Result<Self> {
        let stamp = chrono::Utc::now().format("%Y%m%d_%H%M%S");
        let work_dir =
            std::env::temp_dir().join(format!("levier-bench-{stamp}-{}", std::process::id()));
        std::fs::create_dir_all(&work_dir)
            .with_context(|| format!("creating {}", work_dir.display()))?;
        let Some(server_url) = postgres_url else {
            let file = work_dir.join("bench.sqlite");
            return Ok(Self {
                engine: Engine::Sqlite,
                url: format!("sqlite://{}?mode=rwc", file.display()),
                work_dir,
                postgres: None,
            });
        };
        let created = create_postgres_database(server_url, &format!("levier_bench_{stamp}")).await;
        match created {
            Ok((url, name)) => Ok(Self {
                engine: Engine::Postgres,
                url,
                work_dir,
                postgres: Some((server_url.to_owned(), name)),
            }),
            Err(error) => {
                remove_dir(&work_dir);
                Err(error)
            }
        }
    }

    /// The URL without its password, for the report.
    pub fn display_url(&self) -> String {
        match url::Url::parse(&self.url) {
            Ok(mut parsed) if parsed.password().is_some() => {
                // Setting a password only fails on URLs that cannot have one.
                let _ = parsed.set_password(Some("***"));
                parsed.to_string()
            }
            _ => self.url.clone(),
        }
    }

    /// Drops the PostgreSQL database (the server and every pool must be closed by then) and
    /// removes the temporary folder.
    pub async fn remove(self) -> anyhow::Result<()> {
        let dropped = match &self.postgres {
            Some((server_url, name)) => drop_postgres_database(server_url, name).await,
            None => Ok(()),
        };
        remove_dir(&self.work_dir);
        dropped
    }
}

fn remove_dir(path: &Path) {
    if let Err(error) = std::fs::remove_dir_all(path) {
        eprintln!("warning: cannot remove {}: {error}", path.display());
    }
}

/// The URL of database `name` on the server of `server_url`.
fn database_url(server_url: &str, name: &str) -> anyhow::Result<String> {
    let mut url = url::Url::parse(server_url).with_context(|| "parsing --database-url")?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        bail!("--database-url must be a postgres:// URL (SQLite is the default and needs none)");
    }
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

async fn create_postgres_database(
    server_url: &str,
    name: &str,
) -> anyhow::Result<(String, String)> {
    let url = database_url(server_url, name)?;
    let admin = Database::connect(server_url)
        .await
        .with_context(|| "connecting to the PostgreSQL server of --database-url")?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .with_context(|| format!("creating database {name}"))?;
    admin.close().await.ok();
    Ok((url, name.to_owned()))
}

async fn drop_postgres_database(server_url: &str, name: &str) -> anyhow::Result<()> {
    let admin = Database::connect(server_url)
        .await
        .with_context(|| "reconnecting to PostgreSQL to drop the bench database")?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .with_context(|| format!("dropping database {name}"))?;
    admin.close().await.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn the_bench_database_replaces_the_path_and_keeps_the_rest() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432", "levier_bench_1").ok(),
            Some("postgres://postgres@127.0.0.1:5432/levier_bench_1".to_owned())
        );
        assert_eq!(
            database_url(
                "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable",
                "b"
            )
            .ok(),
            Some("postgres://u:p@127.0.0.1:5432/b?sslmode=disable".to_owned())
        );
        assert!(database_url("sqlite://x.sqlite", "b").is_err());
    }
}
