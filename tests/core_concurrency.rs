//! Issue "core": concurrent writers. 8 processes each insert 60 single rows
//! into one database at the same time; every insert succeeds and all 480
//! rows land, each exactly once.

mod common;
use common::*;

use std::process::Command;

use serde_json::json;

const WORKERS: i64 = 8;
const ROWS_EACH: i64 = 60;

#[test]
fn eight_parallel_processes_inserting_60_rows_each_all_land() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "create",
            "d.db",
            "t",
            "id:integer",
            "worker:integer",
            "seq:integer",
            "--pk",
            "id",
        ],
        None,
    ));
    let db = s.path("d.db");
    let groups_before = count(&db, "select count(*) from _litewrite_groups");
    let dir = s.dir.path().to_path_buf();
    let bin = env!("CARGO_BIN_EXE_litewrite");

    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|w| {
                let dir = dir.clone();
                scope.spawn(move || {
                    for i in 0..ROWS_EACH {
                        let out = Command::new(bin)
                            .args([
                                "insert",
                                "d.db",
                                "t",
                                &format!("worker:={w}"),
                                &format!("seq:={i}"),
                            ])
                            .env_clear()
                            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                            .env("HOME", &dir)
                            .env("LITEWRITE_ACTOR", format!("worker{w}"))
                            .current_dir(&dir)
                            .stdin(std::process::Stdio::null())
                            .output()
                            .expect("run litewrite");
                        assert_eq!(
                            out.status.code(),
                            Some(0),
                            "worker {w} row {i}: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("worker thread");
        }
    });

    assert_eq!(count(&db, "select count(*) from t"), WORKERS * ROWS_EACH);
    assert_eq!(
        count(&db, "select count(distinct worker * 1000 + seq) from t"),
        WORKERS * ROWS_EACH
    );
    let per_worker = rows(
        &db,
        "select worker, count(*) as n, min(seq) as lo, max(seq) as hi from t group by worker order by worker",
    );
    let expected: Vec<_> = (0..WORKERS)
        .map(|w| json!({"worker": w, "n": ROWS_EACH, "lo": 0, "hi": ROWS_EACH - 1}))
        .collect();
    assert_eq!(per_worker, expected);
    // Each worker's rows landed in its own order.
    for w in 0..WORKERS {
        assert_eq!(
            count(
                &db,
                &format!(
                    "select count(*) from (select seq, lag(seq) over (order by id) as prev from t where worker = {w}) where prev is not null and seq <= prev"
                )
            ),
            0,
            "worker {w} rows out of order"
        );
    }
    // One change group per invocation, each with its actor.
    assert_eq!(
        count(&db, "select count(*) from _litewrite_groups") - groups_before,
        WORKERS * ROWS_EACH
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_groups where actor like 'worker%'"
        ),
        WORKERS * ROWS_EACH
    );
    // The database is sound.
    assert_eq!(
        rows(&db, "pragma integrity_check"),
        vec![json!({"integrity_check": "ok"})]
    );
}
