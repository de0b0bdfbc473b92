//! The server under fuzzing runs in a child process: this same test binary, started on the
//! ignored test [`fuzz_server_process`](super::fuzz_server_process), which calls
//! `TestApp::spawn` and prints its address. A request that aborts the server (a stack overflow
//! aborts the whole process) then ends the child, not the fuzzer, which reports the request that
//! did it, with the child's last words, and starts a fresh server to go on.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader, Read},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::Duration,
};

/// Set (to anything) in the child's environment: the signal to serve instead of returning.
pub const CHILD_VARIABLE: &str = "LEVIER_FUZZ_CHILD";
/// Set to `1` in the child's environment to accept batched requests.
pub const BATCHING_VARIABLE: &str = "LEVIER_FUZZ_BATCHING";
/// The line prefix under which the child prints its address.
pub const ADDRESS_PREFIX: &str = "LEVIER_FUZZ_ADDRESS=";
/// The child test's full name.
const CHILD_TEST: &str = "fuzz::fuzz_server_process";
/// Lines of the child's output kept, to quote its last words and the errors it logged.
const KEPT_LINES: usize = 4_000;
/// The longest line kept (log lines can quote a whole request).
const KEPT_LINE_CHARS: usize = 8_000;

/// The child's output lines, numbered, the latest [`KEPT_LINES`] of them.
#[derive(Default)]
pub struct Output {
    lines: VecDeque<(u64, String)>,
    next: u64,
}

impl Output {
    fn push(&mut self, mut line: String) {
        if line.len() > KEPT_LINE_CHARS {
            let mut cut = KEPT_LINE_CHARS;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.truncate(cut);
            line.push('…');
        }
        self.lines.push_back((self.next, line));
        self.next += 1;
        if self.lines.len() > KEPT_LINES {
            self.lines.pop_front();
        }
    }
}

/// A running server process.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
    output: Arc<Mutex<Output>>,
}

fn drain(
    stream: impl Read + Send + 'static,
    output: Arc<Mutex<Output>>,
    address: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let reader = BufReader::new(stream);
        for line in reader.split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            // libtest writes `test name ... ` before the test prints, on the same line.
            if let (Some(sender), Some(at)) = (&address, line.find(ADDRESS_PREFIX)) {
                let _ = sender.send(line[at + ADDRESS_PREFIX.len()..].trim().to_owned());
            }
            if let Ok(mut output) = output.lock() {
                output.push(line);
            }
        }
    });
}

impl Server {
    /// Starts the child and waits for its address.
    pub fn start(batching: bool) -> Self {
        let executable =
            std::env::current_exe().unwrap_or_else(|e| panic!("no test executable: {e}"));
        let mut child = Command::new(executable)
            .args([
                CHILD_TEST,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_VARIABLE, "1")
            .env(BATCHING_VARIABLE, if batching { "1" } else { "0" })
            // Errors and warnings, inside the request spans (INFO, which carry the request
            // ids): the fuzzer reads the causes of internal errors there.
            .env("RUST_LOG", "warn,tracing_actix_web=info")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the server process: {e}"));
        let output = Arc::new(Mutex::new(Output::default()));
        let (sender, receiver) = mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            drain(stdout, output.clone(), Some(sender));
        }
        if let Some(stderr) = child.stderr.take() {
            drain(stderr, output.clone(), None);
        }
        let mut server = Self {
            child,
            address: String::new(),
            output,
        };
        match receiver.recv_timeout(Duration::from_secs(120)) {
            Ok(address) => server.address = address,
            Err(_) => panic!(
                "the server process did not start; its output:\n{}",
                server.tail(40)
            ),
        }
        server
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How the child ended, if it has.
    pub fn exit(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(error) => Some(format!("unknown ({error})")),
        }
    }

    /// How the child ended, if it ends within `patience` (an aborting process takes a moment
    /// to go after its connections drop).
    pub async fn wait_exit(&mut self, patience: Duration) -> Option<String> {
        let until = std::time::Instant::now() + patience;
        loop {
            if let Some(status) = self.exit() {
                return Some(status);
            }
            if std::time::Instant::now() >= until {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The number of the next output line, to read what a request made the server log.
    pub fn mark(&self) -> u64 {
        self.output.lock().map(|output| output.next).unwrap_or(0)
    }

    /// The output lines from `mark` on.
    pub fn since(&self, mark: u64) -> Vec<String> {
        self.output
            .lock()
            .map(|output| {
                output
                    .lines
                    .iter()
                    .filter(|(number, _)| *number >= mark)
                    .map(|(_, line)| line.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The last `count` output lines, joined.
    pub fn tail(&self, count: usize) -> String {
        self.output
            .lock()
            .map(|output| {
                let skip = output.lines.len().saturating_sub(count);
                output
                    .lines
                    .iter()
                    .skip(skip)
                    .map(|(_, line)| line.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    }

    /// The child's resident memory now and at its peak, in MiB (Linux; `None` elsewhere).
    pub fn memory_mib(&self) -> Option<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
                .map(|kib| kib / 1024)
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
