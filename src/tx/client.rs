//! The client side: reaching a holder and forwarding a command to it.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crate::error::{Error, Kind, Result};

use super::protocol::{read_frame, Request, Status};
use super::{check_id, expired_path, read_meta, remove_files, runtime_dir, socket_path};

/// Connects to the holder of transaction `id`, telling *expired* from *not found*.
pub fn connect(id: &str) -> Result<UnixStream> {
    check_id(id)?;
    let dir = runtime_dir()?;
    let gone = || -> Error {
        if expired_path(&dir, id).exists() {
            Error::expired(format!("transaction {id} expired and was rolled back"))
        } else {
            Error::not_found(format!(
                "transaction {id} does not exist (committed, rolled back or never begun)"
            ))
        }
    };
    let sock = socket_path(&dir, id);
    if !sock.exists() {
        return Err(gone());
    }
    match UnixStream::connect(&sock) {
        Ok(s) => Ok(s),
        Err(_) => {
            // The holder died: clean what it left.
            if read_meta(&dir, id).is_none_or(|m| !super::alive(m.pid)) {
                remove_files(&dir, id);
            }
            Err(gone())
        }
    }
}

/// Sends a request and relays the answer: stdout frames to our stdout,
/// stdin (when `stdin`) streamed in frames. Returns the final status.
pub fn send(id: &str, request: &Request, stdin: Option<Box<dyn Read + Send>>) -> Result<Status> {
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
    let mut out = crate::stdio::stdout();
    loop {
        let (kind, payload) = read_frame(&mut stream).map_err(|e| lost(id, e))?;
        match kind {
            b'o' => out.write_all(&payload)?,
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

fn lost(id: &str, e: std::io::Error) -> Error {
    // Give a holder that is exiting (expiry) a moment to leave its marker.
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
