//! `tx`: begin, exec, savepoints, commit, rollback, list, status — and the
//! forwarding of any joined command (`--tx ID`) to the transaction's holder.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::process::Stdio;

use serde_json::{json, Value as Json};

use crate::cli::{Cli, Command, GlobalArgs, QueryArgs, TxArgs, TxBeginArgs, TxCommand};
use crate::error::{Error, Kind, Result};
use crate::output;
use crate::tx::protocol::Request;
use crate::tx::{self, client};

pub fn run(g: &GlobalArgs, a: TxArgs) -> Result<Option<Json>> {
    match a.command {
        TxCommand::Begin(b) => begin(g, b),
        TxCommand::Exec(e) => {
            if let Some(db) = tx::holder::active_database() {
                let q = QueryArgs { db, run: e.run };
                return super::query::run(g, q);
            }
            let stdin = e.run.sql == "-";
            forward_raw(&e.id, g, stdin)
        }
        TxCommand::Savepoint(n) => control(g, &n.id, "savepoint", Some(n.name), "tx savepoint"),
        TxCommand::Release(n) => control(g, &n.id, "release", Some(n.name), "tx release"),
        TxCommand::RollbackTo(n) => {
            control(g, &n.id, "rollback-to", Some(n.name), "tx rollback-to")
        }
        TxCommand::Commit(i) => control(g, &i.id, "commit", None, "tx commit"),
        TxCommand::Rollback(i) => control(g, &i.id, "rollback", None, "tx rollback"),
        TxCommand::Status(i) => {
            let status = client::send(&i.id, &request("status", None, g), None)?;
            let data = status.data.clone().unwrap_or(Json::Null);
            client::into_result(status)?;
            if !g.json {
                output::print_objects(
                    &[
                        "id",
                        "database",
                        "read",
                        "write",
                        "actor",
                        "seconds_left",
                        "savepoints",
                    ],
                    std::slice::from_ref(&data),
                    crate::cli::OutputFormat::Table,
                )?;
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
                        "actor": m.actor, "pid": m.pid,
                        "seconds_left": m.deadline_ms.saturating_sub(tx::now_ms()) as f64 / 1000.0,
                    })
                })
                .collect();
            if !g.json {
                output::print_objects(
                    &["id", "database", "read", "write", "actor", "seconds_left"],
                    &list,
                    crate::cli::OutputFormat::Table,
                )?;
            }
            Ok(Some(
                json!({"ok": true, "command": "tx list", "transactions": list}),
            ))
        }
    }
}

fn request(op: &str, name: Option<String>, g: &GlobalArgs) -> Request {
    Request {
        op: op.to_string(),
        argv: Vec::new(),
        cwd: None,
        env: Vec::new(),
        stdin: false,
        name,
        json: g.json,
    }
}

fn control(
    g: &GlobalArgs,
    id: &str,
    op: &str,
    name: Option<String>,
    command: &str,
) -> Result<Option<Json>> {
    let status = client::send(id, &request(op, name.clone(), g), None)?;
    client::into_result(status).map_err(|mut e| {
        e.printed_json = false;
        e
    })?;
    Ok(Some(
        json!({"ok": true, "command": command, "tx": id, "savepoint": name}),
    ))
}

/// Forwards a joined command (`--tx ID`) to the holder.
pub fn forward(id: &str, cli: &Cli) -> Result<Option<Json>> {
    forward_raw(id, &cli.global, wants_stdin(&cli.command))
}

fn forward_raw(id: &str, g: &GlobalArgs, stdin: bool) -> Result<Option<Json>> {
    let env: Vec<(String, String)> = [
        "LITEWRITE_ACTOR",
        "LITEWRITE_TIME",
        "LITEWRITE_BUSY_TIMEOUT_MS",
    ]
    .iter()
    .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
    .collect();
    let mut env = env;
    if g.actor.is_none() && !env.iter().any(|(k, _)| k == "LITEWRITE_ACTOR") {
        // The holder may run as another actor name; send ours.
        env.push(("LITEWRITE_ACTOR".into(), super::actor(g)));
    }
    let req = Request {
        op: "run".into(),
        argv: std::env::args().collect(),
        cwd: std::env::current_dir()
            .ok()
            .map(|d| d.display().to_string()),
        env,
        stdin,
        name: None,
        json: g.json,
    };
    let input: Option<Box<dyn std::io::Read + Send>> = if stdin {
        Some(Box::new(std::io::stdin()))
    } else {
        None
    };
    let status = client::send(id, &req, input)?;
    client::into_result(status)?;
    Ok(None)
}

/// Whether a command reads stdin (so the client streams it to the holder).
fn wants_stdin(command: &Command) -> bool {
    let dash = |args: &[String]| args.iter().any(|a| a == "-");
    match command {
        Command::Insert(a) => {
            dash(&a.rows) || (a.rows.is_empty() && !crate::stdio::stdin_is_terminal())
        }
        Command::Upsert(a) => {
            dash(&a.rows) || (a.rows.is_empty() && !crate::stdio::stdin_is_terminal())
        }
        Command::Update(a) => dash(&a.args),
        Command::Delete(a) => dash(&a.keys),
        Command::Query(a) => a.run.sql == "-",
        _ => false,
    }
}

/// Starts a holder for a new transaction and prints its id once it holds its locks.
fn begin(g: &GlobalArgs, a: TxBeginArgs) -> Result<Option<Json>> {
    let config = super::config(g)?;
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
    if let Some(c) = &g.config {
        cmd.arg("--config").arg(c);
    }
    cmd.arg("--actor").arg(super::actor(g));
    cmd.arg(&db).arg(&id).arg(timeout.as_millis().to_string());
    for t in &a.read {
        cmd.arg("--read").arg(t);
    }
    for t in &a.write {
        cmd.arg("--write").arg(t);
    }
    cmd.env_remove("LITEWRITE_TX")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // SAFETY: setsid only detaches the child from our session and terminal.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
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
        if g.json {
            return Ok(Some(json!({"ok": true, "command": "tx begin", "tx": id})));
        }
        let mut out = crate::stdio::stdout();
        writeln!(out, "{id}")?;
        out.flush()?;
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
