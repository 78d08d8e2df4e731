//! Issue 11 items 4 and 7: `query` output habits from sqlite-utils (--csv,
//! --tsv, --nl, -t, --arrays, --no-headers, --raw, --raw-lines, --json-cols,
//! --fmt), typed parameters, valid output whatever happens, and --json for
//! command-line errors. Expected outputs are what sqlite-utils 4.2 prints for
//! the same query (encoded here), where the README says litewrite does the same.

mod common;
use common::*;

use serde_json::{json, Value};

fn db(s: &Sandbox) -> std::path::PathBuf {
    ok(&s.run(
        &["insert", "q.db", "t", "-", "--pk", "id"],
        Some("{\"id\": 1, \"name\": \"a,b\", \"tags\": \"[1, 2]\", \"obj\": \"{\\\"k\\\": true}\"}\n{\"id\": 2, \"name\": \"c\", \"tags\": null, \"obj\": \"not json\"}\n"),
    ));
    s.path("q.db")
}

const SQL: &str = "select id, name from t order by id";

#[test]
fn csv_tsv_nl_arrays_and_no_headers() {
    let s = Sandbox::new();
    db(&s);
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--csv"], None)),
        "id,name\n1,\"a,b\"\n2,c\n"
    );
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--tsv"], None)),
        "id\tname\n1\ta,b\n2\tc\n"
    );
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--csv", "--no-headers"], None)),
        "1,\"a,b\"\n2,c\n"
    );
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--nl"], None)),
        "{\"id\":1,\"name\":\"a,b\"}\n{\"id\":2,\"name\":\"c\"}\n"
    );
    let arrays: Value =
        serde_json::from_str(&ok(&s.run(&["query", "q.db", SQL, "--arrays"], None))).unwrap();
    assert_eq!(arrays, json!([[1, "a,b"], [2, "c"]]));
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--nl", "--arrays"], None)),
        "[1,\"a,b\"]\n[2,\"c\"]\n"
    );
    // The same as --format; two spellings at once is a usage error.
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--format", "csv"], None)),
        ok(&s.run(&["query", "q.db", SQL, "--csv"], None))
    );
    let err = fails(&s.run(&["query", "q.db", SQL, "--csv", "--nl"], None), 2);
    assert!(err.contains("--csv") || err.contains("--nl"), "{err}");
    // Duplicate column names do not lose values (sqlite-utils: id, id_2).
    let dup: Value = serde_json::from_str(&ok(
        &s.run(&["query", "q.db", "select 1 as id, 2 as id"], None)
    ))
    .unwrap();
    assert_eq!(dup, json!([{"id": 1, "id_2": 2}]));
}

#[test]
fn tables_raw_and_json_cols() {
    let s = Sandbox::new();
    db(&s);
    let t = ok(&s.run(&["query", "q.db", SQL, "-t"], None));
    assert!(t.contains("a,b") && t.contains("name"), "{t}");
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--fmt", "markdown"], None)),
        "| id | name |\n|----|------|\n|  1 | a,b  |\n|  2 | c    |\n"
    );
    assert_eq!(
        ok(&s.run(
            &["query", "q.db", SQL, "--fmt", "github", "--no-headers"],
            None
        )),
        "| 1 | a,b |\n| 2 | c   |\n"
    );
    let grid = ok(&s.run(&["query", "q.db", SQL, "--fmt", "grid"], None));
    assert!(grid.starts_with("+----+------+\n"), "{grid}");
    // tabulate's spellings, as sqlite-utils passes them on.
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--fmt", "fancy_grid"], None)),
        ok(&s.run(&["query", "q.db", SQL, "--fmt", "fancy-grid"], None))
    );
    assert_eq!(
        ok(&s.run(&["query", "q.db", SQL, "--fmt", "pipe"], None)),
        "| id | name |\n|----|------|\n|  1 | a,b  |\n|  2 | c    |\n"
    );
    let err = fails(&s.run(&["query", "q.db", SQL, "--fmt", "nope"], None), 2);
    assert!(err.contains("nope"), "{err}");

    // --raw: the first column of the first row, as it is, no newline.
    assert_eq!(
        ok(&s.run(
            &["query", "q.db", "select name from t order by id", "--raw"],
            None
        )),
        "a,b"
    );
    assert_eq!(
        ok(&s.run(
            &[
                "query",
                "q.db",
                "select name, id from t order by id",
                "--raw-lines"
            ],
            None
        )),
        "a,b\nc\n"
    );
    let blob = s.run(&["query", "q.db", "select x'00ff41'", "--raw"], None);
    assert_eq!(blob.stdout, vec![0x00, 0xff, 0x41]);

    // --json-cols: text holding JSON objects or arrays is printed as JSON.
    let cols: Value = serde_json::from_str(&ok(&s.run(
        &[
            "query",
            "q.db",
            "select tags, obj from t order by id",
            "--json-cols",
        ],
        None,
    )))
    .unwrap();
    assert_eq!(
        cols,
        json!([{"tags": [1, 2], "obj": {"k": true}}, {"tags": null, "obj": "not json"}])
    );
    let plain: Value = serde_json::from_str(&ok(
        &s.run(&["query", "q.db", "select tags from t where id = 1"], None)
    ))
    .unwrap();
    assert_eq!(plain, json!([{"tags": "[1, 2]"}]));
}

#[test]
fn typed_parameters_bind_integer_real_null_and_json() {
    let s = Sandbox::new();
    let db = db(&s);
    let sql = "select typeof(:i) i, typeof(:r) r, typeof(:n) n, typeof(:t) t, :j j, typeof(:p) p";
    let out: Value = serde_json::from_str(&ok(&s.run(
        &[
            "query",
            "q.db",
            sql,
            "-j",
            "i",
            "30",
            "-j",
            "r",
            "2.5",
            "-j",
            "n",
            "null",
            "--param-json",
            "t",
            "\"x\"",
            "-j",
            "j",
            "{\"a\": [1]}",
            "-p",
            "p",
            "30",
        ],
        None,
    )))
    .unwrap();
    assert_eq!(
        out,
        json!([{"i": "integer", "r": "real", "n": "null", "t": "text", "j": "{\"a\":[1]}", "p": "text"}])
    );
    // A typed key finds an INTEGER row where text would not compare equal in SQL that casts nothing.
    ok(&s.run(
        &[
            "query",
            "q.db",
            "update t set tags = :v where id = :id",
            "-j",
            "id",
            "2",
            "-j",
            "v",
            "[3]",
        ],
        None,
    ));
    assert_eq!(sqlite3(&db, "select tags from t where id = 2"), "[3]\n");
    let err = fails(
        &s.run(&["query", "q.db", "select :a", "-j", "a", "{oops"], None),
        2,
    );
    assert!(err.contains("--param-json a"), "{err}");
    let err = fails(&s.run(&["query", "q.db", "select :a"], None), 2);
    assert!(err.contains("-j a JSON"), "{err}");
}

#[test]
fn output_stays_valid_when_an_error_comes_after_rows() {
    let s = Sandbox::new();
    db(&s);
    let bad = "select 1 as x union all select abs(-9223372036854775808)";
    let o = s.run(&["query", "q.db", bad], None);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("a closed JSON array");
    assert_eq!(v, json!([{"x": 1}]));
    assert!(stderr(&o).contains("integer overflow"));

    // --json: one result object, the error inside it.
    let o = s.run(&["--json", "query", "q.db", bad], None);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert_eq!(v["kind"], "sql");
    assert_eq!(v["rows"], json!([{"x": 1}]));
    assert_eq!(v["columns"], json!(["x"]));

    // --json with no rows still names the columns.
    let v: Value = serde_json::from_str(&ok(&s.run(
        &["--json", "query", "q.db", "select id, name from t where 0"],
        None,
    )))
    .unwrap();
    assert_eq!(
        v,
        json!({"command": "query", "columns": ["id", "name"], "rows": [], "ok": true})
    );
    // A write through --json: its group and rows_affected.
    let v: Value = serde_json::from_str(&ok(&s.run(
        &["--json", "query", "q.db", "delete from t where id = 2"],
        None,
    )))
    .unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["rows"], json!([{"rows_affected": 1}]));
    assert!(v["group"].is_i64(), "{v}");
    let err = fails(&s.run(&["--json", "query", "q.db", SQL, "--csv"], None), 2);
    assert!(err.contains("--json"), "{err}");
}

#[test]
fn json_turns_command_line_errors_into_error_objects() {
    let s = Sandbox::new();
    db(&s);
    for args in [
        vec!["--json", "query", "q.db", SQL, "--bogus"],
        vec!["--json", "insrt", "q.db"],
        vec!["insert", "--json"],
        vec!["--json", "insert", "q.db", "t", "--batch-size", "0"],
    ] {
        let o = s.run(&args, None);
        assert_eq!(code(&o), 2, "{args:?}");
        let v: Value = serde_json::from_str(&stdout(&o))
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)));
        assert_eq!(v["ok"], false);
        assert_eq!(v["kind"], "usage");
        assert!(!v["error"].as_str().unwrap().is_empty());
    }
    // Without --json clap's own message, and help still prints.
    let o = s.run(&["query", "q.db", SQL, "--bogus"], None);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    assert!(ok(&s.run(&["--json", "query", "--help"], None)).contains("Usage"));
    // --csv is a query flag now, not clap's "use -- --csv" tip.
    assert!(ok(&s.run(&["query", "q.db", SQL, "--csv"], None)).starts_with("id,name"));
}

/// A parameter value that starts with `-` (a negative number, a dash) is a
/// value, not a flag: for `-p` and `-j` of query, and `-p` of
/// update and delete `--where`.
#[test]
fn parameter_values_may_start_with_a_dash() {
    let s = Sandbox::new();
    let db = db(&s);
    let out: Value = serde_json::from_str(&ok(&s.run(
        &[
            "query",
            "q.db",
            "select :a a, :b b, typeof(:b) tb, :c c",
            "-p",
            "a",
            "-5",
            "-j",
            "b",
            "-0.5",
            "-p",
            "c",
            "--x",
        ],
        None,
    )))
    .unwrap();
    assert_eq!(
        out,
        json!([{"a": "-5", "b": -0.5, "tb": "real", "c": "--x"}])
    );
    ok(&s.run(
        &[
            "update", "q.db", "t", "--where", "id = :i", "-p", "i", "1", "name=-n",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "update",
            "q.db",
            "t",
            "--where",
            "name = :n",
            "-p",
            "n",
            "-n",
            "name=m",
        ],
        None,
    ));
    assert_eq!(sqlite3(&db, "select name from t where id = 1"), "m\n");
    ok(&s.run(
        &[
            "query",
            "q.db",
            "update t set name = :n where id = 2",
            "-p",
            "n",
            "-c",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "delete",
            "q.db",
            "t",
            "--where",
            "name = :n",
            "-p",
            "n",
            "-c",
        ],
        None,
    ));
    assert_eq!(sqlite3(&db, "select id from t"), "1\n");
}

/// A REAL printed as text (csv, tsv, tables, --raw) reads back as the same
/// REAL, as sqlite-utils prints it: `2.0` not `2` (which a re-import stores
/// as an INTEGER), `1e300` not 301 digits. The CSV re-imported into a new
/// table holds the same values with the same types.
#[test]
fn reals_print_as_text_that_reads_back_as_the_same_real() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "r.db", "t", "-", "--pk", "id"],
        Some("{\"id\": 1, \"x\": 2.0}\n{\"id\": 2, \"x\": 1e300}\n{\"id\": 3, \"x\": 0.1}\n{\"id\": 4, \"x\": 123456789.12345679}\n{\"id\": 5, \"x\": 5e-324}\n"),
    ));
    let sql = "select id, x from t order by id";
    let csv = ok(&s.run(&["query", "r.db", sql, "--csv"], None));
    assert_eq!(
        csv,
        "id,x\n1,2.0\n2,1e300\n3,0.1\n4,123456789.12345679\n5,5e-324\n"
    );
    assert_eq!(
        ok(&s.run(&["query", "r.db", sql, "--tsv", "--no-headers"], None)),
        "1\t2.0\n2\t1e300\n3\t0.1\n4\t123456789.12345679\n5\t5e-324\n"
    );
    assert_eq!(
        ok(&s.run(
            &["query", "r.db", "select x from t where id = 1", "--raw"],
            None
        )),
        "2.0"
    );
    let table = ok(&s.run(&["query", "r.db", sql, "--fmt", "markdown"], None));
    assert!(
        table.contains(" 2.0 |") && table.contains(" 1e300 |"),
        "{table}"
    );

    s.write("back.csv", &csv);
    ok(&s.run(&["insert", "back.db", "t", "back.csv"], None));
    let types = "select id, x, typeof(x) from t order by id";
    assert_eq!(
        rows(&s.path("back.db"), types),
        rows(&s.path("r.db"), types)
    );
    assert_eq!(
        sqlite3(&s.path("back.db"), "select typeof(x) from t group by 1"),
        "real\n"
    );
}

/// `--fmt grid`, `fancy_grid`, `psql` and `simple` draw the lines tabulate
/// (sqlite-utils' --fmt) draws: a grid's header rule crosses every column,
/// psql has column lines and no rule between rows, simple has only the
/// header rule; number columns are right-aligned, as tabulate aligns them.
#[test]
fn table_styles_draw_the_lines_sqlite_utils_draws() {
    let s = Sandbox::new();
    db(&s);
    let run = |style: &str| ok(&s.run(&["query", "q.db", SQL, "--fmt", style], None));
    assert_eq!(
        run("grid"),
        "+----+------+\n| id | name |\n+====+======+\n|  1 | a,b  |\n+----+------+\n|  2 | c    |\n+----+------+\n"
    );
    assert_eq!(
        run("fancy_grid"),
        "╒════╤══════╕\n│ id │ name │\n╞════╪══════╡\n│  1 │ a,b  │\n├────┼──────┤\n│  2 │ c    │\n╘════╧══════╛\n"
    );
    assert_eq!(
        run("psql"),
        "+----+------+\n| id | name |\n|----+------|\n|  1 | a,b  |\n|  2 | c    |\n+----+------+\n"
    );
    let simple = run("simple");
    let lines: Vec<&str> = simple.lines().collect();
    assert_eq!(lines.len(), 4, "{simple}");
    assert!(
        lines[0].contains("id") && lines[0].contains("name"),
        "{simple}"
    );
    assert!(lines[1].trim().chars().all(|c| c == '-'), "{simple}");
    assert!(
        lines[2].contains("a,b") && lines[3].contains('c'),
        "{simple}"
    );
    // A column holding numbers and NULLs is right-aligned, its header too;
    // one with any text (even number text) is not.
    let mixed = ok(&s.run(
        &[
            "query",
            "q.db",
            "select 7 as n, 'x' as t union all select null, '10' union all select 1.5, 'yy'",
            "--fmt",
            "psql",
        ],
        None,
    ));
    assert_eq!(
        mixed,
        "+-----+----+\n|   n | t  |\n|-----+----|\n|   7 | x  |\n|     | 10 |\n| 1.5 | yy |\n+-----+----+\n"
    );
}

/// Text that is not UTF-8 (written by another client) is printed by --csv
/// and --tsv byte for byte, as --raw and the sqlite3 shell print it: it was
/// converted lossily, each bad byte becoming U+FFFD.
#[test]
fn csv_and_tsv_print_text_that_is_not_utf8_byte_for_byte() {
    let s = Sandbox::new();
    ok(&s.run(&["insert", "b.db", "t", "id:=1", "--pk", "id"], None));
    sqlite3(
        &s.path("b.db"),
        "alter table t add column s text; update t set s = cast(x'ff41c3a92c' as text)",
    );
    let run = |args: &[&str]| {
        let o = s.run(args, None);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        o.stdout
    };
    assert_eq!(
        run(&["query", "b.db", "select id, s from t", "--csv"]),
        b"id,s\n1,\"\xffA\xc3\xa9,\"\n"
    );
    assert_eq!(
        run(&[
            "query",
            "b.db",
            "select s, id from t",
            "--tsv",
            "--no-headers"
        ]),
        b"\xffA\xc3\xa9,\t1\n"
    );
    assert_eq!(
        run(&["query", "b.db", "select s from t", "--raw"]),
        b"\xffA\xc3\xa9,"
    );
}
