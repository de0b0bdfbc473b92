//! What the real `levier` binary says when it cannot start, as an operator reads it: which file,
//! address or server, what to do, and each error once; and that a host name in `LEVIER_BIND`
//! is served. The binary is built by cargo (a no-op when it is up to date) into this test's own
//! target directory, and run with a clean environment.

use std::{
    io::Read,
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

/// The `levier` binary: `$LEVIER_BIN` when set, otherwise built by cargo beside this test
/// binary (`<target>/<profile>/levier`), once, the way `clients/run` builds it: with the
/// workspace's tests selected, so that dependencies resolve the same features as for `cargo
/// test` and its artifacts are reused (a plain `cargo build --bin levier` would recompile much
/// of the tree).
fn binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        if let Some(given) = std::env::var_os("LEVIER_BIN") {
            return PathBuf::from(given);
        }
        // <target>/<profile>/deps/integration-<hash>
        let test = std::env::current_exe().unwrap();
        let profile_dir = test.parent().and_then(|deps| deps.parent()).unwrap();
        let target_dir = profile_dir.parent().unwrap();
        let profile = profile_dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut build = Command::new(cargo);
        build
            .args([
                "build",
                "--quiet",
                "--workspace",
                "--tests",
                "--bin",
                "levier",
            ])
            .arg("--target-dir")
            .arg(target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile != "debug" {
            build.args(["--profile", &profile]);
        }
        let status = build.status().unwrap();
        assert!(status.success(), "cannot build the levier binary: {status}");
        profile_dir.join("levier")
    })
}

/// The binary with a clean environment (no `LEVIER_*` of the caller's, no `CARGO`) and `vars`.
fn levier(arguments: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(binary());
    command
        .args(arguments)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs `command` to its end (at most a minute) and returns whether it succeeded and what it
/// wrote on both outputs.
fn run(mut command: Command) -> (bool, String) {
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("levier did not exit: {}", output(&mut child));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (status.success(), output(&mut child))
}

fn output(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut text).unwrap();
    }
    if let Some(mut stderr) = child.stderr.take() {
        stderr.read_to_string(&mut text).unwrap();
    }
    text
}

/// A folder of its own in the temporary directory, removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!("levier-start-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_missing_sqlite_folder_is_named_once() {
    let folder = TempFolder::new();
    let missing = folder.0.join("missing");
    let file = missing.join("levier.sqlite");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let (success, output) = run(levier(
        &[],
        &[
            ("LEVIER_DATABASE_URL", &url),
            ("LEVIER_BIND", "127.0.0.1:0"),
        ],
    ));
    assert!(!success, "{output}");
    let expected = format!(
        "levier: the folder {} of the SQLite database {} does not exist: create it (mkdir -p {}) \
         or set LEVIER_DATABASE_URL to another path\n",
        missing.display(),
        file.display(),
        missing.display()
    );
    assert!(output.contains(&expected), "{output}");
    assert_eq!(output.matches("does not exist").count(), 1, "{output}");
    assert!(!output.contains("unable to open database file"), "{output}");
}

#[test]
fn a_missing_sqlite_file_without_mode_rwc_says_how_to_create_it() {
    let folder = TempFolder::new();
    let file = folder.0.join("levier.sqlite");
    let url = format!("sqlite://{}", file.display());
    let (success, output) = run(levier(&["migrate"], &[("LEVIER_DATABASE_URL", &url)]));
    assert!(!success, "{output}");
    let expected = format!(
        "levier: the SQLite database {} does not exist: to create it, add mode=rwc to \
         LEVIER_DATABASE_URL ({url}?mode=rwc); otherwise correct its path\n",
        file.display()
    );
    assert!(output.contains(&expected), "{output}");
    assert_eq!(output.matches("does not exist").count(), 1, "{output}");
    assert!(!file.exists());
}

#[test]
fn an_unreachable_postgres_with_exit_on_db_failure_says_host_port_and_cause_once() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let url = format!("postgres://levier:secret@127.0.0.1:{port}/levier");
    let started = Instant::now();
    let (success, output) = run(levier(
        &[],
        &[
            ("LEVIER_DATABASE_URL", &url),
            ("LEVIER_BIND", "127.0.0.1:0"),
            ("LEVIER_EXIT_ON_DB_FAILURE", "1"),
        ],
    ));
    assert!(!success, "{output}");
    let message = format!("cannot reach PostgreSQL at 127.0.0.1:{port}: connection refused");
    assert!(output.contains(&format!("levier: {message}\n")), "{output}");
    assert_eq!(output.matches(&message).count(), 1, "{output}");
    assert!(!output.contains("pool timed out"), "{output}");
    assert!(!output.contains("secret"), "{output}");
    // A refusal is told at once, not after a pool's timeout.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_port_in_use_is_named_with_what_to_do() {
    let folder = TempFolder::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let url = format!(
        "sqlite://{}?mode=rwc",
        folder.0.join("levier.sqlite").display()
    );
    let bind = format!("127.0.0.1:{port}");
    let (success, output) = run(levier(
        &[],
        &[("LEVIER_DATABASE_URL", &url), ("LEVIER_BIND", &bind)],
    ));
    assert!(!success, "{output}");
    let expected = format!(
        "levier: port {port} on 127.0.0.1 is already in use: another levier? set LEVIER_BIND to a free port\n"
    );
    assert!(output.contains(&expected), "{output}");
    assert_eq!(output.matches("already in use").count(), 1, "{output}");
    drop(taken);
}

/// A server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn a_host_name_in_levier_bind_is_resolved_and_served() {
    let folder = TempFolder::new();
    let url = format!(
        "sqlite://{}?mode=rwc",
        folder.0.join("levier.sqlite").display()
    );
    let mut command = levier(
        &[],
        &[
            ("LEVIER_DATABASE_URL", &url),
            ("LEVIER_BIND", "localhost:0"),
            ("LEVIER_WORKERS", "1"),
        ],
    );
    command.stderr(Stdio::null());
    let mut server = Server(command.spawn().unwrap());
    // The log line that says where it serves, with the port chosen for port 0.
    let stdout = server.0.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = sender.send(line);
        }
    });
    let mut lines = Vec::new();
    let port = loop {
        let line = receiver
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no serving line: {lines:?}"));
        if let Some(rest) = line.split("serving GraphQL at http://localhost:").nth(1) {
            break rest.split('/').next().unwrap().parse::<u16>().unwrap();
        }
        lines.push(line);
    };
    assert_ne!(port, 0);
    // The development secret's advice names the binary as it was run.
    let advice = format!(
        "Mint a token with: {} token --tenant acme",
        binary().display()
    );
    assert!(lines.iter().any(|line| line.contains(&advice)), "{lines:?}");
    let client = reqwest::Client::new();
    for address in std::net::ToSocketAddrs::to_socket_addrs(&("localhost", port)).unwrap() {
        let url = match address {
            std::net::SocketAddr::V4(v4) => format!("http://{v4}/readyz"),
            std::net::SocketAddr::V6(v6) => format!("http://[{}]:{}/readyz", v6.ip(), v6.port()),
        };
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{url}");
    }
    let response = client
        .get(format!("http://localhost:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    drop(server);
}

#[test]
fn advice_names_the_binary_as_it_was_run_not_cargo() {
    let folder = TempFolder::new();
    let url = format!(
        "sqlite://{}?mode=rwc",
        folder.0.join("levier.sqlite").display()
    );
    let program = binary().display().to_string();
    let (success, output) = run(levier(&["seed-demo"], &[("LEVIER_DATABASE_URL", &url)]));
    assert!(success, "{output}");
    assert!(
        output.contains(&format!("Start the server (`{program}`)")),
        "{output}"
    );
    assert!(!output.contains("cargo"), "{output}");

    // Under `cargo run`, which sets CARGO for what it runs, the advice is cargo's.
    let mut command = levier(
        &["seed-demo", "--replace"],
        &[("LEVIER_DATABASE_URL", &url)],
    );
    command.env("CARGO", "/usr/bin/cargo");
    let (success, output) = run(command);
    assert!(success, "{output}");
    assert!(
        output.contains("Start the server (`cargo run`)"),
        "{output}"
    );
}
