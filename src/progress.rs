//! The progress bar of a long import: rows, rows/s and bytes read of the
//! file's size, drawn on stderr (indicatif) only when stderr is a terminal
//! and -q is not given, and cleared when the command ends.
//!
//! The insert loop reports every [`Progress::EVERY`] rows and indicatif
//! limits how often it draws, so the bar costs the hot loop one branch per
//! row; the bytes are counted by the reader, one atomic add per read call.

use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::session::Diag;
use indicatif::{HumanCount, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar for one import.
pub struct Progress {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
}

impl Progress {
    /// Rows between two reports from the insert loop (a power of two).
    pub const EVERY: u64 = 1024;

    /// A bar for an input of `size` bytes (None for a pipe) whose reader
    /// counts into `bytes`; None when the session's stderr is not a
    /// terminal (inside a transaction holder it never is) or with -q.
    pub fn new(diag: &Diag, size: Option<u64>, bytes: Arc<AtomicU64>) -> Option<Progress> {
        if diag.quiet || !diag.terminal {
            return None;
        }
        let template = match size {
            Some(_) => "{msg} {bytes}/{total_bytes} [{bar:30}] {eta}",
            None => "{msg} {bytes} read",
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar =
            ProgressBar::with_draw_target(size, ProgressDrawTarget::stderr()).with_style(style);
        Some(Progress { bar, bytes })
    }

    /// Shows how many rows are done (and the bytes read so far).
    pub fn rows(&self, rows: u64) {
        let seconds = self.bar.elapsed().as_secs_f64().max(0.001);
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        self.bar.set_message(format!(
            "{} rows ({}/s)",
            HumanCount(rows),
            HumanCount((rows as f64 / seconds) as u64)
        ));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A reader that counts the bytes read through it.
pub struct Counted<R> {
    pub inner: R,
    pub bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
