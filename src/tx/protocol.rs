//! The holder's wire protocol over its Unix socket.
//!
//! The client sends one JSON request line, then (for commands that read
//! stdin) its stdin as frames: a 4-byte big-endian length and the bytes, a
//! zero length ending it. The holder answers with frames of a type byte and
//! a 4-byte length: `o` carries stdout bytes, `w` stderr bytes (warnings,
//! `-v` notes), `e` ends the answer with a JSON status `{"code": N,
//! "error": "...", "kind": "..."}`.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// A request to a holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// `run`: a command line to run inside the transaction; or a control
    /// operation: savepoint, release, rollback-to, commit, rollback, status.
    pub op: String,
    #[serde(default)]
    pub argv: Vec<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    /// LITEWRITE_* variables of the client that the command reads.
    #[serde(default)]
    pub env: Vec<(String, String)>,
    /// True when stdin frames follow.
    #[serde(default)]
    pub stdin: bool,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub json: bool,
}

/// How an answer ends.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Status {
    pub code: u8,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    /// Extra data (for `status`).
    #[serde(default)]
    pub data: Option<serde_json::Value>,
}

pub fn write_frame(w: &mut impl Write, kind: u8, payload: &[u8]) -> io::Result<()> {
    let mut head = [0u8; 5];
    head[0] = kind;
    head[1..].copy_from_slice(&(payload.len() as u32).to_be_bytes());
    w.write_all(&head)?;
    w.write_all(payload)
}

pub fn read_frame(r: &mut impl Read) -> io::Result<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    r.read_exact(&mut head)?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    let mut buf = vec![0u8; len];
    r.read_exact(&mut buf)?;
    Ok((head[0], buf))
}

/// Reads stdin frames as a byte stream; a zero-length frame ends it.
pub struct FrameReader<R: Read> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: Read> FrameReader<R> {
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            buf: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for FrameReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.buf.len() {
            if self.done {
                return Ok(0);
            }
            let mut len = [0u8; 4];
            self.inner.read_exact(&mut len).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("the client went away while sending rows: {e}"),
                )
            })?;
            let len = u32::from_be_bytes(len) as usize;
            if len == 0 {
                self.done = true;
                return Ok(0);
            }
            self.buf.resize(len, 0);
            self.inner.read_exact(&mut self.buf)?;
            self.pos = 0;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Writes bytes as frames of one kind: `o` for stdout, `w` for stderr.
pub struct FrameWriter<W: Write> {
    pub inner: W,
    pub kind: u8,
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !buf.is_empty() {
            write_frame(&mut self.inner, self.kind, buf)?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_frames_round_trip() {
        let mut wire = Vec::new();
        for chunk in [&b"hello "[..], b"world"] {
            wire.extend_from_slice(&(chunk.len() as u32).to_be_bytes());
            wire.extend_from_slice(chunk);
        }
        wire.extend_from_slice(&0u32.to_be_bytes());
        let mut r = FrameReader::new(&wire[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "hello world");
    }
}
