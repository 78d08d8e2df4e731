//! One invocation: who runs it, when, from where, with which configuration
//! and streams — built once by a front end and passed down to the command.
//!
//! There are two front ends. `main` builds a [`Session`] from the process's
//! argv, environment, working directory and standard streams. A transaction
//! holder builds one per request from what the client sent (its argv, its
//! `LITEWRITE_*` variables, its directory) with the client's streams carried
//! over the socket, the configuration the transaction began with, and the
//! held transaction itself ([`Session::held`]). Commands read all of this
//! from the session and nothing from process globals, so the same command
//! code runs unchanged in either place, and one request can not leave
//! anything behind for the next.

use std::cell::{OnceCell, RefCell};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::error::Result;
use crate::tx::holder::Held;

/// The environment variables a command reads, captured once by the front end.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `$LITEWRITE_ACTOR`.
    pub actor: Option<String>,
    /// `$LITEWRITE_CONFIG`.
    pub config: Option<PathBuf>,
    /// `$LITEWRITE_TIME`: a fixed clock (tests).
    pub time: Option<String>,
    /// `$LITEWRITE_BUSY_TIMEOUT_MS`.
    pub busy_timeout_ms: Option<String>,
    /// `$XDG_CONFIG_HOME`, else `$HOME/.config`: where a user's plugins.toml is.
    pub config_home: Option<PathBuf>,
    /// The width terminal tables of records are fit to: `$COLUMNS`, else
    /// the terminal's when stdout is one; None: as wide as their cells.
    pub columns: Option<u16>,
}

/// The variables a client forwards to a holder with each request.
pub const FORWARDED: [&str; 4] = [
    "LITEWRITE_ACTOR",
    "LITEWRITE_TIME",
    "LITEWRITE_BUSY_TIMEOUT_MS",
    "COLUMNS",
];

/// A `$COLUMNS` value as a width, when it is one.
fn width(text: &str) -> Option<u16> {
    text.trim().parse().ok().filter(|w| *w > 0)
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let config_home = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
        Env {
            actor: var("LITEWRITE_ACTOR"),
            config: var("LITEWRITE_CONFIG").map(PathBuf::from),
            time: var("LITEWRITE_TIME"),
            busy_timeout_ms: var("LITEWRITE_BUSY_TIMEOUT_MS"),
            config_home,
            // comfy-table asks the terminal, when stdout is one.
            columns: var("COLUMNS")
                .and_then(|c| width(&c))
                .or_else(|| comfy_table::Table::new().width()),
        }
    }

    /// The forwarded variables a client sent (see [`FORWARDED`]).
    pub fn from_pairs(pairs: &[(String, String)]) -> Env {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        Env {
            actor: get("LITEWRITE_ACTOR"),
            config: None,
            time: get("LITEWRITE_TIME"),
            busy_timeout_ms: get("LITEWRITE_BUSY_TIMEOUT_MS"),
            config_home: None,
            columns: get("COLUMNS").and_then(|c| width(&c)),
        }
    }

    /// The forwarded variables, as a client sends them.
    pub fn forwarded(&self) -> Vec<(String, String)> {
        let columns = self.columns.map(|c| c.to_string());
        [
            (FORWARDED[0], &self.actor),
            (FORWARDED[1], &self.time),
            (FORWARDED[2], &self.busy_timeout_ms),
            (FORWARDED[3], &columns),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
        .collect()
    }

    /// How long a writer waits for the lock before reporting *busy*.
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout_ms
            .as_deref()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(30))
    }
}

/// The clock that stamps records: the system clock, or, in a debug build
/// (what `cargo test` runs), a fixed time (`$LITEWRITE_TIME`, so tests can
/// compare time-stamped output exactly). A release build has no such
/// variable: nothing a caller sets backdates an audit entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Clock {
    #[default]
    System,
    Fixed(String),
}

impl Clock {
    pub fn from_env(env: &Env) -> Clock {
        match &env.time {
            Some(t) if cfg!(debug_assertions) => Clock::Fixed(t.clone()),
            _ => Clock::System,
        }
    }

    /// The time now, UTC, RFC 3339.
    pub fn now(&self) -> String {
        match self {
            Clock::Fixed(t) => t.clone(),
            Clock::System => {
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            }
        }
    }
}

/// A shared output stream (stdout or stderr): clones write to the same
/// place, one `write` call at a time.
#[derive(Clone)]
pub struct Channel(Arc<Mutex<Box<dyn Write + Send>>>);

impl Channel {
    pub fn new(out: impl Write + Send + 'static) -> Channel {
        Channel(Arc::new(Mutex::new(Box::new(out))))
    }
}

impl Write for Channel {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).flush()
    }
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Channel")
    }
}

/// Where warnings and `-v` notes go: the user's stderr. Cloned into row
/// readers and writes, which warn from deep inside a job. Writing them
/// never fails the command: a closed stderr only loses the text.
#[derive(Clone, Debug)]
pub struct Diag {
    out: Channel,
    /// `-q`: warnings are not printed.
    pub quiet: bool,
    /// True when stderr is a terminal a progress bar can be drawn on.
    pub terminal: bool,
}

impl Default for Diag {
    /// The process's stderr.
    fn default() -> Diag {
        use std::io::IsTerminal;
        Diag {
            out: Channel::new(io::stderr()),
            quiet: false,
            terminal: io::stderr().is_terminal(),
        }
    }
}

impl Diag {
    pub fn new(out: Channel, quiet: bool, terminal: bool) -> Diag {
        Diag {
            out,
            quiet,
            terminal,
        }
    }

    /// Prints `litewrite: warning: ...` unless `-q`.
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            self.line(&format!("warning: {message}"));
        }
    }

    /// Writes bytes as they are (what a transaction holder printed on
    /// the stderr of a request).
    pub fn raw(&self, bytes: &[u8]) {
        let mut out = self.out.clone();
        let _ = out.write_all(bytes).and_then(|()| out.flush());
    }

    /// Prints `litewrite: ...` (a `-v` note, or an error).
    pub fn line(&self, message: &str) {
        let mut out = self.out.clone();
        let _ = writeln!(out, "litewrite: {message}").and_then(|()| out.flush());
    }
}

/// One invocation's context. See the module docs.
pub struct Session<'h> {
    /// The global options as given on the command line.
    pub flags: GlobalArgs,
    /// The writer's label: --actor, `$LITEWRITE_ACTOR`, else the OS user.
    pub actor: String,
    pub clock: Clock,
    /// The command line as typed, for change groups and audit entries.
    pub argv: Vec<String>,
    /// Relative paths on the command line are relative to this directory
    /// (empty: the process's own, and paths are used as given).
    pub cwd: PathBuf,
    pub env: Env,
    config: OnceCell<Config>,
    stdin: RefCell<Option<Box<dyn Read + Send>>>,
    stdin_terminal: bool,
    stdout: Channel,
    pub diag: Diag,
    /// The held transaction this invocation runs in (inside a holder).
    pub held: Option<&'h RefCell<Held>>,
}

/// The streams of a session.
pub struct Streams {
    pub stdin: Option<Box<dyn Read + Send>>,
    /// True when nothing is piped in: stdin is a terminal, or a client sent none.
    pub stdin_terminal: bool,
    pub stdout: Channel,
    pub stderr: Channel,
    pub stderr_terminal: bool,
}

impl Streams {
    /// The process's own streams.
    pub fn process() -> Streams {
        use std::io::IsTerminal;
        Streams {
            stdin: Some(Box::new(io::stdin())),
            stdin_terminal: io::stdin().is_terminal(),
            stdout: Channel::new(io::stdout()),
            stderr: Channel::new(io::stderr()),
            stderr_terminal: io::stderr().is_terminal(),
        }
    }
}

impl<'h> Session<'h> {
    /// A session. `config`: the configuration to use (a holder's); None to
    /// find it as the flags and environment say, when a command first asks.
    pub fn new(
        flags: GlobalArgs,
        argv: Vec<String>,
        cwd: PathBuf,
        env: Env,
        streams: Streams,
        config: Option<Config>,
        held: Option<&'h RefCell<Held>>,
    ) -> Session<'h> {
        let actor = flags
            .actor
            .clone()
            .or_else(|| env.actor.clone())
            .unwrap_or_else(|| crate::access::os_user().to_string());
        let diag = Diag::new(streams.stderr, flags.quiet, streams.stderr_terminal);
        let cell = OnceCell::new();
        if let Some(c) = config {
            let _ = cell.set(c);
        }
        Session {
            actor,
            clock: Clock::from_env(&env),
            argv,
            cwd,
            env,
            config: cell,
            stdin_terminal: streams.stdin_terminal,
            stdin: RefCell::new(streams.stdin),
            stdout: streams.stdout,
            diag,
            held,
            flags,
        }
    }

    /// The configuration: --config, `$LITEWRITE_CONFIG`, `./plugins.toml`,
    /// the user's, else the built-in default (see [`crate::config`]);
    /// inside a held transaction, the one it began with.
    pub fn config(&self) -> Result<&Config> {
        if let Some(c) = self.config.get() {
            return Ok(c);
        }
        let explicit = self.flags.config.as_deref().map(|p| self.path(p));
        let env = self.env.config.as_deref().map(|p| self.path(p));
        let found = crate::config::discover(
            explicit.as_deref(),
            env.as_deref(),
            &self.cwd,
            self.env.config_home.as_deref(),
        )?;
        Ok(self.config.get_or_init(|| found))
    }

    /// A path from the command line, relative to the session's directory
    /// (a holder runs elsewhere than its client).
    pub fn path(&self, p: &Path) -> PathBuf {
        self.cwd.join(p)
    }

    /// The command's stdin; it can be taken once (then it is empty).
    pub fn stdin(&self) -> Box<dyn Read + Send> {
        self.stdin
            .borrow_mut()
            .take()
            .unwrap_or_else(|| Box::new(io::empty()))
    }

    /// True when nothing is piped in (stdin is a terminal, or a client sent none).
    pub fn stdin_is_terminal(&self) -> bool {
        self.stdin_terminal
    }

    /// The command's stdout, buffered: flush it when done.
    pub fn stdout(&self) -> BufWriter<Channel> {
        BufWriter::with_capacity(64 * 1024, self.stdout.clone())
    }

    /// How long a writer waits for the lock before reporting *busy*.
    pub fn busy_timeout(&self) -> Duration {
        self.env.busy_timeout()
    }
}
