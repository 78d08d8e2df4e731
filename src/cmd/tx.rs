//! `tx`: begin, exec, savepoints, commit, rollback, list, status — and the
//! forwarding of any joined command (`--tx ID`) to the transaction's holder.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::Stdio;

use serde_json::{json, Value as Json};

use crate::cli::{Command, QueryArgs, TxArgs, TxBeginArgs, TxCommand};
use crate::error::{Error, Kind, Result};
use crate::output;
use crate::session::Session;
use crate::tx::protocol::Request;
use crate::tx::{self, client};

pub fn run(s: &Session, a: TxArgs) -> Result<Option<Json>> {
    match a.command {
        TxCommand::Begin(b) => begin(s, b),
        TxCommand::Exec(e) => {
            if let Some(held) = s.held {
                let db = {
                    let held = held.borrow();
                    if held.id() != e.id {
                        return Err(Error::usage(format!(
                            "tx exec {} reached transaction {}",
                            e.id,
                            held.id()
                        )));
                    }
                    held.database().to_path_buf()
                };
                return super::query::run(s, QueryArgs { db, run: e.run });
            }
            let stdin = e.run.sql == "-";
            forward_raw(s, &e.id, stdin)
        }
        TxCommand::Savepoint(n) => control(s, &n.id, "savepoint", Some(n.name), "tx savepoint"),
        TxCommand::Release(n) => control(s, &n.id, "release", Some(n.name), "tx release"),
        TxCommand::RollbackTo(n) => {
            control(s, &n.id, "rollback-to", Some(n.name), "tx rollback-to")
        }
        TxCommand::Commit(i) => control(s, &i.id, "commit", None, "tx commit"),
        TxCommand::Rollback(i) => control(s, &i.id, "rollback", None, "tx rollback"),
        TxCommand::Status(i) => {
            let status = client::send(s, &i.id, &request(s, "status", None), None)?;
            let data = status.data.clone().unwrap_or(Json::Null);
            client::into_result(status)?;
            if !s.flags.json {
                print_transactions(s, std::slice::from_ref(&data), &["savepoints"])?;
            }
            Ok(Some(
                json!({"ok": true, "command": "tx status", "tx": data}),
            ))
        }
        TxCommand::List => {
            let dir = tx::runtime_dir()?;
            let list: Vec<Json> = tx::live(&dir)?
                .into_iter()
                .map(|m| {
                    json!({
                        "id": m.id, "database": m.database, "read": m.read, "write": m.write,
                        "create": m.create, "actor": m.actor, "pid": m.pid,
                        "seconds_left": m.deadline_ms.saturating_sub(tx::now_ms()) as f64 / 1000.0,
                    })
                })
                .collect();
            if !s.flags.json {
                print_transactions(s, &list, &[])?;
            }
            Ok(Some(
                json!({"ok": true, "command": "tx list", "transactions": list}),
            ))
        }
    }
}

/// Prints transactions as a table fitted to the terminal: the columns every
/// listing has, then `extra` ones.
fn print_transactions(s: &Session, transactions: &[Json], extra: &[&str]) -> Result<()> {
    let mut columns = vec![
        "id",
        "database",
        "read",
        "write",
        "create",
        "actor",
        "seconds_left",
    ];
    columns.extend_from_slice(extra);
    output::print_objects(
        &mut s.stdout(),
        &columns,
        transactions,
        crate::cli::OutputFormat::Table,
        output::Fit {
            width: s.env.columns,
            cut: &["database", "read", "write", "create", "actor"],
            drop: &["create", "read", "actor"],
        },
    )
}

fn request(s: &Session, op: &str, name: Option<String>) -> Request {
    Request {
        op: op.to_string(),
        argv: Vec::new(),
        cwd: None,
        env: s.env.forwarded(),
        stdin: false,
        name,
        json: s.flags.json,
    }
}

fn control(
    s: &Session,
    id: &str,
    op: &str,
    name: Option<String>,
    command: &str,
) -> Result<Option<Json>> {
    let status = match client::send(s, id, &request(s, op, name.clone()), None) {
        // The holder died once its COMMIT had succeeded, before it answered.
        Err(_) if op == "commit" && tx::was_committed(id) => {
            s.diag.warn(&format!(
                "the holder of transaction {id} stopped before it answered, after its commit succeeded: everything in it is committed"
            ));
            return Ok(Some(
                json!({"ok": true, "command": command, "tx": id, "savepoint": name}),
            ));
        }
        sent => sent?,
    };
    client::into_result(status).map_err(|mut e| {
        e.printed_json = false;
        e
    })?;
    Ok(Some(
        json!({"ok": true, "command": command, "tx": id, "savepoint": name}),
    ))
}

/// Forwards a joined command (`--tx ID`) to the holder.
pub fn forward(s: &Session, id: &str, command: &Command) -> Result<Option<Json>> {
    forward_raw(s, id, wants_stdin(s, command))
}

/// Sends this session's command line to the holder of `id`, with the
/// directory its relative paths are relative to and the variables it reads.
fn forward_raw(s: &Session, id: &str, stdin: bool) -> Result<Option<Json>> {
    let cwd = if s.cwd.as_os_str().is_empty() {
        std::env::current_dir().ok()
    } else {
        Some(s.cwd.clone())
    };
    let req = Request {
        op: "run".into(),
        argv: s.argv.clone(),
        cwd: cwd.map(|d| d.display().to_string()),
        env: s.env.forwarded(),
        stdin,
        name: None,
        json: s.flags.json,
    };
    let input = stdin.then(|| s.stdin());
    let status = client::send(s, id, &req, input)?;
    client::into_result(status)?;
    Ok(None)
}

/// Whether a command reads stdin (so the client streams it to the holder).
fn wants_stdin(s: &Session, command: &Command) -> bool {
    let dash = |args: &[String]| args.iter().any(|a| a == "-");
    match command {
        Command::Insert(a) => dash(&a.rows) || (a.rows.is_empty() && !s.stdin_is_terminal()),
        Command::Upsert(a) => dash(&a.rows) || (a.rows.is_empty() && !s.stdin_is_terminal()),
        Command::Update(a) => dash(&a.args),
        Command::Delete(a) => dash(&a.keys),
        Command::Query(a) => a.run.sql == "-",
        _ => false,
    }
}

/// Starts a holder for a new transaction and prints its id once it holds its locks.
fn begin(s: &Session, a: TxBeginArgs) -> Result<Option<Json>> {
    let config = s.config()?;
    let timeout = tx::parse_duration(&a.timeout)?;
    if !a.db.exists() {
        return Err(Error::not_found(format!(
            "database {} does not exist",
            a.db.display()
        )));
    }
    let db = a.db.canonicalize()?;
    let dir = tx::runtime_dir()?;
    let _lock = tx::DirLock::take(&dir)?;
    let open = tx::live(&dir)?.iter().filter(|m| m.database == db).count();
    if open >= config.max_transactions as usize {
        return Err(Error::busy(format!(
            "database {} already has {open} open transaction(s), the most allowed (max-transactions = {})",
            a.db.display(),
            config.max_transactions
        )));
    }
    let id = tx::new_id()?;
    let exe = std::env::current_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg(crate::tx::holder::HOLDER_ARG);
    // The transaction runs with the configuration found now, whatever
    // plugins.toml a later command's directory holds.
    if let Some(c) = &config.source {
        cmd.arg("--config-file").arg(c.canonicalize()?);
    }
    cmd.arg("--actor").arg(&s.actor);
    if let Some(m) = &s.flags.message {
        cmd.arg("--message").arg(m);
    }
    cmd.arg("--busy-timeout-ms")
        .arg(s.busy_timeout().as_millis().to_string());
    cmd.arg(&db).arg(&id).arg(timeout.as_millis().to_string());
    for t in &a.read {
        cmd.arg("--read").arg(t);
    }
    for t in &a.write {
        cmd.arg("--write").arg(t);
    }
    for t in &a.create {
        cmd.arg("--create").arg(t);
    }
    cmd.env_remove("LITEWRITE_TX")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: setsid (async-signal-safe) only detaches the child from our
    // session and terminal.
    unsafe {
        cmd.pre_exec(|| {
            let _ = nix::unistd::setsid();
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::sql(format!("can not start the transaction holder: {e}")))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out).read_line(&mut line)?;
    }
    if line.trim() == "ready" {
        // The holder runs on; not waiting for it is the point.
        drop(child);
        let mut out = s.stdout();
        let printed = if s.flags.json {
            output::print_json(
                &mut out,
                &json!({"ok": true, "command": "tx begin", "tx": id}),
            )
        } else {
            writeln!(out, "{id}")
                .and_then(|()| out.flush())
                .map_err(Error::from)
        };
        if let Err(e) = printed {
            // Nobody has the id, so nobody could end the transaction: it
            // would hold its locks until its timeout. End it now.
            let _ = client::send(s, &id, &request(s, "rollback", None), None);
            return Err(Error::sql(format!(
                "can not print the transaction's id on stdout ({}), so transaction {id} was rolled back",
                e.message
            )));
        }
        return Ok(None);
    }
    let _ = child.wait();
    let status: Json = line
        .trim()
        .strip_prefix("error ")
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Json::Null);
    let kind = status["kind"]
        .as_str()
        .and_then(Kind::from_name)
        .unwrap_or(Kind::Sql);
    Err(Error::new(
        kind,
        status["error"]
            .as_str()
            .unwrap_or("the transaction holder failed to start")
            .to_string(),
    ))
}
