//! "Nothing lost" (issue 7): a database written through litewrite and
//! replicated with Litestream (WAL shipping) restores with every committed
//! write, and its audit log still verifies.
//!
//! The litestream binary comes from the npm package
//! `@flydotio/litestream-linux-x64`, which `.ci/run` installs under
//! `.ci/node/` and names in `LITEWRITE_LITESTREAM`. When that variable is
//! set (always on CI), the binary must be there. On a machine without it,
//! the test says loudly that it did not run.

mod common;
use common::*;

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn litestream() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LITEWRITE_LITESTREAM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "LITEWRITE_LITESTREAM names {}, which does not exist",
            path.display()
        );
        return Some(path);
    }
    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(".ci/node/node_modules/@flydotio/litestream-linux-x64/litestream");
    default.is_file().then_some(default)
}

#[test]
fn a_litestream_replica_restores_every_write_and_verifies() {
    let Some(bin) = litestream() else {
        eprintln!(
            "\n*** SKIPPED a_litestream_replica_restores_every_write_and_verifies: no litestream binary.\n\
             *** Run .ci/run (it installs it), or: npm install --prefix .ci/node @flydotio/litestream-linux-x64\n"
        );
        return;
    };
    let s = Sandbox::new();
    let db = s.path("app.db");
    let replica = format!("file://{}", s.path("replica").display());
    ok(&s.run(
        &["insert", "app.db", "t", "--pk", "id", "id:=1", "v=first"],
        None,
    ));

    let log_path = s.path("litestream.log");
    let mut child = Command::new(&bin)
        .args(["replicate", db.to_str().unwrap(), &replica])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .expect("start litestream");
    // Ready once it has written the first snapshot of the database.
    let started = Instant::now();
    loop {
        let mut log = String::new();
        std::fs::File::open(&log_path)
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        if log.contains("snapshot written") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "litestream did not start: {log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // Writes through litewrite while Litestream ships the WAL.
    let rows: String = (2..=300)
        .map(|i| format!("{{\"id\": {i}, \"v\": \"row {i}\"}}\n"))
        .collect();
    let mut c = s.cmd();
    c.args(["insert", "app.db", "t", "-", "--batch-size", "100"])
        .write_stdin(rows);
    ok(&c.output().unwrap());
    ok(&s.run(&["update", "app.db", "t", "1", "v=changed"], None));
    ok(&s.run(&["delete", "app.db", "t", "--where", "id > 250"], None));
    ok(&s.run(
        &[
            "query",
            "app.db",
            "create table other(x); insert into other values (1), (2)",
        ],
        None,
    ));
    let g = count(&db, "select max(id) from _litewrite_groups");
    ok(&s.run(&["undo", "app.db", &g.to_string()], None));
    ok(&s.run(&["insert", "app.db", "t", "id:=1000", "v=last"], None));

    // Litestream syncs what it has not shipped yet when it is stopped.
    // SAFETY: sending SIGINT to the child we started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert!(status.success(), "litestream exited with {status}");

    let restored = s.path("restored.db");
    let out = Command::new(&bin)
        .args(["restore", "-o", restored.to_str().unwrap(), &replica])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "restore failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(user_state(&restored), user_state(&db));
    assert_eq!(count(&restored, "select count(*) from t"), 251);
    assert_eq!(
        sqlite3(
            &restored,
            "select v from t where id in (1, 1000) order by id"
        ),
        "changed\nlast\n"
    );
    assert_eq!(
        count(&restored, "select count(*) from _litewrite_groups"),
        count(&db, "select count(*) from _litewrite_groups")
    );
    let verify = s.run(&["audit", "verify", "restored.db"], None);
    assert!(
        ok(&verify).contains("hash chain intact"),
        "{}",
        stdout(&verify)
    );
}
