//! Transactions that span several invocations.
//!
//! SQLite rolls a transaction back when its connection closes, so each open
//! transaction is owned by a *holder*: a background `litewrite` process that
//! began it and serves the later commands over a Unix domain socket. The
//! sockets live in a private directory (mode 0700, owned by the user: under
//! `$XDG_RUNTIME_DIR`, else in the user's cache directory; see
//! [`runtime_dir`]), and the holder also checks each peer's uid, so only the
//! user who began a transaction can reach it. Ids are 128 random bits in hex and are validated before they
//! touch a path.
//!
//! Next to each socket, `ID.json` describes the transaction (database,
//! tables, pid, deadline). A transaction that ends without a commit leaves a
//! marker, so later commands on it say what happened (exit 7, *expired*: the
//! transaction is gone and nothing of it was written) rather than *not
//! found*: `ID.expired` when its deadline passed, `ID.lost` (holding the
//! cause) when SQLite ended it or its holder died. The files of a holder
//! that died (killed, or the machine restarted) are replaced by that marker
//! by the next command that finds them. While its COMMIT runs a holder
//! keeps `ID.committing`, and `ID.committed` once it succeeded until it has
//! answered: a holder killed in between is then not reported as rolled
//! back when its commit landed ([`bury`]). Markers are removed after a day.

pub mod client;
pub mod holder;
pub mod protocol;

use std::fs;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a holder records about its transaction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TxMeta {
    pub id: String,
    /// The database, canonicalized.
    pub database: PathBuf,
    pub read: Vec<String>,
    pub write: Vec<String>,
    /// Tables the transaction may create (and then write).
    #[serde(default)]
    pub create: Vec<String>,
    pub pid: u32,
    pub actor: String,
    /// Unix milliseconds.
    pub started_ms: u64,
    pub deadline_ms: u64,
}

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A new transaction id: 128 random bits from the OS, in hex.
pub fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| {
            Error::sql(format!(
                "can not read random bytes for a transaction id: {e}"
            ))
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks that an id is one this tool could have made (32 hex digits).
pub fn check_id(id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(Error::not_found(format!(
            "transaction {id:?} does not exist (ids are 32 hex digits, as printed by `litewrite tx begin`)"
        )))
    }
}

/// The private directory of this user's transaction sockets, created 0700:
/// `$XDG_RUNTIME_DIR/litewrite`, else `litewrite/tx` in the user's cache
/// directory (`$XDG_CACHE_HOME`, else `~/.cache`). Another local user can
/// create neither, so no one can block `tx` by making the directory first.
/// Only without a usable home (or when its path would make socket paths too
/// long) is it `litewrite-UID` in the temp dir, which someone else could
/// take first: then the error says how to fix it.
pub fn runtime_dir() -> Result<PathBuf> {
    let uid = nix::unistd::Uid::current().as_raw();
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        return private_dir(&PathBuf::from(d).join("litewrite"), uid, None);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .map(|c| c.join("litewrite").join("tx"))
        .filter(|d| fits_socket_path(d));
    if let Some(dir) = cache {
        if fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .is_ok()
        {
            return private_dir(&dir, uid, None);
        }
    }
    let shared = std::env::temp_dir().join(format!("litewrite-{uid}"));
    let fix = "set XDG_RUNTIME_DIR to a directory only you can write (e.g. `mkdir -m 700 ~/.run; export XDG_RUNTIME_DIR=~/.run`), or give litewrite a HOME it can write";
    private_dir(&shared, uid, Some(fix))
}

/// True when sockets in `dir` fit in a Unix socket address (108 bytes with
/// the terminating NUL): the name is a 32-digit id plus `.sock`.
fn fits_socket_path(dir: &Path) -> bool {
    dir.as_os_str().len() + "/".len() + 32 + ".sock".len() < 108
}

/// Creates `dir` (mode 0700) if needed and checks it is a directory owned by
/// `uid` that no one else can enter; `fix` is added to the refusal when the
/// directory sits where another user could have made it first.
fn private_dir(dir: &Path, uid: u32, fix: Option<&str>) -> Result<PathBuf> {
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::sql(format!("can not create {}: {e}", dir.display())))?;
    }
    let meta = fs::symlink_metadata(dir)?;
    if meta.is_dir() && meta.uid() == uid && meta.permissions().mode() & 0o077 == 0 {
        return Ok(dir.to_path_buf());
    }
    let what = if !meta.is_dir() {
        "is not a directory".to_string()
    } else if meta.uid() != uid {
        format!("is owned by another user (uid {})", meta.uid())
    } else {
        format!("has mode {:o}, not 0700", meta.permissions().mode() & 0o777)
    };
    let mut message = format!(
        "{} {what}: transaction sockets need a directory owned by you with mode 0700; refusing to use it",
        dir.display()
    );
    if let Some(fix) = fix {
        message.push_str(&format!("; {fix}"));
    }
    Err(Error::denied(message))
}

pub fn socket_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.sock"))
}
pub fn meta_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.json"))
}
pub fn expired_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.expired"))
}
/// The marker of a transaction SQLite ended, or whose holder died: its text
/// is the cause.
pub fn lost_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.lost"))
}
/// The marker a holder leaves while its COMMIT runs: if it dies then, this
/// says whether the commit can be told from the database afterwards
/// ([`COMMIT_RECORDED`]: the audit log holds an entry of every write the
/// transaction kept).
pub fn committing_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.committing"))
}
/// The marker of a transaction whose COMMIT succeeded, kept until its
/// holder has answered: a holder killed after committing leaves it.
pub fn committed_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.committed"))
}
/// The text of a [`committing_path`] marker when the audit log records the
/// transaction's writes.
pub const COMMIT_RECORDED: &str = "recorded";

/// True when transaction `id` is known to have committed (its holder may
/// have died before answering).
pub fn was_committed(id: &str) -> bool {
    check_id(id).is_ok() && runtime_dir().is_ok_and(|dir| committed_path(&dir, id).exists())
}

/// Why a transaction that is gone is gone, if it left a marker: an
/// *expired* error naming the cause, or *not found* saying it committed.
pub fn ended(dir: &Path, id: &str) -> Option<Error> {
    if committed_path(dir, id).exists() {
        return Some(Error::not_found(format!(
            "transaction {id} was committed; it is over"
        )));
    }
    if let Ok(cause) = fs::read_to_string(lost_path(dir, id)) {
        return Some(Error::expired(cause));
    }
    expired_path(dir, id).exists().then(|| {
        Error::expired(format!(
            "transaction {id} expired: it passed its timeout and was rolled back; nothing in it was committed"
        ))
    })
}

/// Replaces the files of a holder that died with the marker saying what
/// became of its transaction. A holder that died while committing may
/// have committed (SQLite's COMMIT is atomic, and was done or not): the
/// database tells which when the audit log records the transaction's
/// writes.
pub fn bury(dir: &Path, meta: &TxMeta) {
    let id = &meta.id;
    let committed = committed_path(dir, id);
    if let Ok(how) = fs::read_to_string(committing_path(dir, id)) {
        let _ = fs::remove_file(committing_path(dir, id));
        let recorded = how.trim() == COMMIT_RECORDED;
        let landed = commit_landed(meta);
        if landed == Some(true) {
            let _ = fs::write(&committed, b"");
        } else if !(recorded && landed == Some(false)) {
            let cause = format!(
                "transaction {id} is gone: its holder (pid {}) died while committing it, and whether the commit landed is not known (no audit log records the transaction's writes): look for its changes in {}",
                meta.pid,
                meta.database.display()
            );
            let _ = fs::write(lost_path(dir, id), cause);
            remove_files(dir, id);
            return;
        }
    }
    if !committed.exists() {
        let cause = format!(
            "transaction {id} is gone: its holder (pid {}) died before it committed (killed, or the machine restarted), so its work was rolled back and nothing in it was committed",
            meta.pid
        );
        let _ = fs::write(lost_path(dir, id), cause);
    }
    remove_files(dir, id);
}

/// Whether the audit log of a transaction's database holds a kept entry of
/// it (entries are written inside the transaction, so they landed with its
/// COMMIT or not at all); None when the database can not be read.
fn commit_landed(meta: &TxMeta) -> Option<bool> {
    let conn = crate::db::open_read(&meta.database, std::time::Duration::from_secs(5)).ok()?;
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM _litewrite_audit WHERE tx = ?1 AND outcome = 'ok')",
        [&meta.id],
        |r| r.get(0),
    )
    .ok()
}

/// True while the holder of this transaction runs. A killed holder can
/// linger as a zombie until its parent (init) reaps it: that counts as
/// dead; so does another process that got its pid after a restart.
pub fn alive(meta: &TxMeta) -> bool {
    let pid = meta.pid;
    if let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesized command name.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next());
        if matches!(state, Some('Z') | Some('X') | None) {
            return false;
        }
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline);
        return cmdline.contains(holder::HOLDER_ARG) && cmdline.contains(&meta.id);
    }
    // Without /proc: signal 0 only checks that the process exists.
    use nix::errno::Errno;
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) | Err(Errno::EPERM) => true,
        Err(_) => false,
    }
}

pub fn read_meta(dir: &Path, id: &str) -> Option<TxMeta> {
    let text = fs::read_to_string(meta_path(dir, id)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Removes what a holder leaves when it is gone.
pub fn remove_files(dir: &Path, id: &str) {
    let _ = fs::remove_file(socket_path(dir, id));
    let _ = fs::remove_file(meta_path(dir, id));
}

/// The live transactions, cleaning the files of dead holders and old
/// expiry markers on the way.
pub fn live(dir: &Path) -> Result<Vec<TxMeta>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".json") {
            if check_id(id).is_err() {
                continue;
            }
            match read_meta(dir, id) {
                Some(m) if alive(&m) => out.push(m),
                // A meta file being written has no content yet; a dead holder's is stale.
                Some(m) => bury(dir, &m),
                None => {}
            }
        } else if [".expired", ".lost", ".committed", ".committing"]
            .iter()
            .any(|m| name.ends_with(m))
        {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600);
            if old {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    out.sort_by_key(|m| m.started_ms);
    Ok(out)
}

/// An exclusive lock on the runtime directory, held while counting and
/// starting transactions so two `begin`s can not both take the last slot.
pub struct DirLock {
    _lock: nix::fcntl::Flock<fs::File>,
}

impl DirLock {
    pub fn take(dir: &Path) -> Result<DirLock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))?;
        // Released when the lock (and its file) is dropped.
        let lock = nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
            .map_err(|(_, e)| Error::sql(format!("can not lock the transaction directory: {e}")))?;
        Ok(DirLock { _lock: lock })
    }
}

/// Parses a duration like `30s`, `5m`, `1h`, `1500ms` or a number of seconds.
pub fn parse_duration(text: &str) -> Result<std::time::Duration> {
    let t = text.trim();
    let (num, unit) = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|i| t.split_at(i))
        .unwrap_or((t, "s"));
    let n: f64 = num.parse().map_err(|_| {
        Error::usage(format!(
            "--timeout {text:?} is not a duration (e.g. 30s, 5m, 1h)"
        ))
    })?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(Error::usage(format!(
                "--timeout {text:?} has an unknown unit (use ms, s, m or h)"
            )))
        }
    };
    if !(secs > 0.0 && secs <= 7.0 * 24.0 * 3600.0) {
        return Err(Error::usage(format!(
            "--timeout {text:?} must be more than 0 and at most 7 days"
        )));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated_before_touching_paths() {
        let id = new_id().unwrap();
        assert_eq!(id.len(), 32);
        assert!(check_id(&id).is_ok());
        assert!(check_id("../../etc/passwd").is_err());
        assert!(check_id(&"A".repeat(32)).is_err());
        assert_ne!(new_id().unwrap(), id);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").unwrap().as_secs(), 30);
        assert_eq!(parse_duration("5m").unwrap().as_secs(), 300);
        assert_eq!(parse_duration("1500ms").unwrap().as_millis(), 1500);
        assert_eq!(parse_duration("2").unwrap().as_secs(), 2);
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0s").is_err());
    }
}
