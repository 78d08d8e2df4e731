//! The client side: reaching a holder and forwarding a command to it.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::error::{Error, Kind, Result};
use crate::session::Session;

use super::protocol::{read_frame, Request, Status};
use super::{alive, bury, check_id, ended, read_meta, runtime_dir, socket_path};

/// Connects to the holder of transaction `id`. A transaction that is gone
/// is *expired* when it left a marker (timed out, ended by SQLite, or its
/// holder died: the message says which), else *not found*.
pub fn connect(id: &str) -> Result<UnixStream> {
    check_id(id)?;
    let dir = runtime_dir()?;
    let gone = || -> Error {
        ended(&dir, id).unwrap_or_else(|| {
            Error::not_found(format!(
                "transaction {id} does not exist (committed, rolled back or never begun)"
            ))
        })
    };
    let sock = socket_path(&dir, id);
    if !sock.exists() {
        return Err(gone());
    }
    match UnixStream::connect(&sock) {
        Ok(s) => Ok(s),
        Err(_) => {
            // Nobody listens on a socket its holder still lists: the holder
            // died (a live one removes its files before it exits).
            if let Some(meta) = read_meta(&dir, id).filter(|m| !alive(m)) {
                bury(&dir, &meta);
            }
            Err(gone())
        }
    }
}

/// Sends a request and relays the answer: stdout frames to the session's
/// stdout, stderr frames to its stderr, stdin (when given) streamed in
/// frames. Returns the final status.
pub fn send(
    s: &Session,
    id: &str,
    request: &Request,
    stdin: Option<Box<dyn Read + Send>>,
) -> Result<Status> {
    let mut stream = connect(id)?;
    let mut line = serde_json::to_vec(request).map_err(std::io::Error::from)?;
    line.push(b'\n');
    stream.write_all(&line).map_err(|e| lost(id, e))?;
    if let Some(mut input) = stdin {
        let mut w = stream.try_clone()?;
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match input.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if w.write_all(&(n as u32).to_be_bytes())
                            .and_then(|_| w.write_all(&buf[..n]))
                            .is_err()
                        {
                            return;
                        }
                    }
                }
            }
            let _ = w.write_all(&0u32.to_be_bytes());
        });
    }
    let mut out = s.stdout();
    loop {
        let (kind, payload) = read_frame(&mut stream).map_err(|e| lost(id, e))?;
        match kind {
            b'o' => out.write_all(&payload)?,
            b'w' => s.diag.raw(&payload),
            b'e' => {
                out.flush()?;
                let status: Status = serde_json::from_slice(&payload)
                    .map_err(|e| Error::sql(format!("bad answer from transaction {id}: {e}")))?;
                return Ok(status);
            }
            other => {
                return Err(Error::sql(format!(
                    "bad frame {other} from transaction {id}"
                )))
            }
        }
    }
}

/// The connection to the holder broke off mid-answer: why, as well as it
/// can be told (the holder expired, died, or is gone).
fn lost(id: &str, e: std::io::Error) -> Error {
    // Give a holder that is exiting a moment to leave its marker.
    std::thread::sleep(Duration::from_millis(50));
    match connect(id) {
        Err(err) if err.kind == Kind::Expired => err,
        _ => Error::not_found(format!(
            "transaction {id} is gone: its holder stopped ({e})"
        )),
    }
}

/// Turns a holder's status into our result.
pub fn into_result(status: Status) -> Result<()> {
    if status.code == 0 {
        return Ok(());
    }
    let kind = status
        .kind
        .as_deref()
        .and_then(Kind::from_name)
        .unwrap_or(Kind::Sql);
    let mut e = Error::new(kind, status.error.unwrap_or_else(|| "failed".into()));
    e.printed_json = true;
    Err(e)
}
