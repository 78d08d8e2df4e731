//! Where commands read stdin and write stdout: the process's own streams,
//! or — inside a transaction holder serving a joined command — the client's,
//! carried over the socket. Commands never touch `std::io::stdin()` or
//! `stdout()` directly, so they run unchanged in either place.

use std::cell::RefCell;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

type Reader = Box<dyn Read + Send>;
type Writer = Box<dyn Write + Send>;

thread_local! {
    static REDIRECT: RefCell<Option<(Option<Reader>, Writer)>> = const { RefCell::new(None) };
}

/// The command's stdin. Inside a redirect it can be taken once.
pub fn stdin() -> Reader {
    REDIRECT.with(|r| match r.borrow_mut().as_mut() {
        Some((input, _)) => match input.take() {
            Some(i) => i,
            None => Box::new(io::empty()),
        },
        // Not the lock: rows may be read on another thread.
        None => Box::new(io::stdin()),
    })
}

/// True when stdin is an interactive terminal (no rows are piped in).
pub fn stdin_is_terminal() -> bool {
    REDIRECT.with(|r| match r.borrow().as_ref() {
        Some((input, _)) => input.is_none(),
        None => io::stdin().is_terminal(),
    })
}

/// The command's stdout, buffered.
pub fn stdout() -> Box<dyn Write> {
    REDIRECT.with(|r| match r.borrow_mut().as_mut() {
        Some(_) => Box::new(BufWriter::new(Redirected)) as Box<dyn Write>,
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Writes into the redirect's writer.
struct Redirected;

impl Write for Redirected {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        REDIRECT.with(|r| match r.borrow_mut().as_mut() {
            Some((_, out)) => out.write(buf),
            None => io::stdout().write(buf),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        REDIRECT.with(|r| match r.borrow_mut().as_mut() {
            Some((_, out)) => out.flush(),
            None => io::stdout().flush(),
        })
    }
}

/// Runs `f` with stdin and stdout redirected (stdin None: nothing piped in).
pub fn redirected<T>(input: Option<Reader>, output: Writer, f: impl FnOnce() -> T) -> T {
    REDIRECT.with(|r| *r.borrow_mut() = Some((input, output)));
    let result = f();
    REDIRECT.with(|r| {
        if let Some((_, mut out)) = r.borrow_mut().take() {
            let _ = out.flush();
        }
    });
    result
}

/// `-q`: warnings are not printed.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Sets whether warnings are printed (`-q` silences them).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `-q` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Prints a warning on stderr (`litewrite: warning: ...`) unless `-q`.
pub fn warn(message: &str) {
    if !quiet() {
        eprintln!("litewrite: warning: {message}");
    }
}
