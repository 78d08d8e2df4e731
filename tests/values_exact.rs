//! Issue 7 items 11, 12, 18, 19: no value is changed on the way in. JSON
//! integers beyond 64 bits are refused, CSV/TSV cells keep their exact text
//! in TEXT columns (keys too), JSON floats are stored as the nearest double,
//! and columns that see text and numbers keep each value's own type. Checked
//! with rusqlite, the sqlite3 shell and `litewrite query` reading back.

mod common;
use common::*;

use std::path::Path;

use serde_json::{json, Value};

/// `quote(col)` of every row, in rowid order, via the sqlite3 shell.
fn quoted(db: &Path, sql: &str) -> Vec<String> {
    sqlite3(db, sql).lines().map(str::to_string).collect()
}

fn user_tables(db: &Path) -> i64 {
    if !db.exists() {
        return 0;
    }
    count(
        db,
        "select count(*) from sqlite_master where type = 'table' and name not like '\\_litewrite%' escape '\\'",
    )
}

// ------------------------------------------------- item 11: huge integers

#[test]
fn json_integer_beyond_64_bits_is_an_error_naming_line_and_column() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    let big = "123456789012345678901234567890";
    let nd = format!("{{\"id\": 1, \"n\": 5}}\n{{\"id\": 2, \"n\": {big}}}\n");
    let err = fails(&s.run(&["insert", "a.db", "t", "-"], Some(&nd)), 2);
    assert!(
        err.contains("stdin line 2") && err.contains("column \"n\"") && err.contains(big),
        "{err}"
    );
    assert_eq!(user_tables(&db), 0, "nothing may be written");

    // A JSON array names the element; just past i64 and u64 count too,
    // negative as well, and inside a nested array (kept as JSON text).
    for (value, element) in [
        ("9223372036854775808", 1),
        ("18446744073709551616", 1),
        ("-9223372036854775809", 1),
        ("[1, 99999999999999999999999]", 1),
    ] {
        let arr = format!("[{{\"n\": 1}}, {{\"n\": {value}}}]");
        let err = fails(&s.run(&["insert", "a.db", "t", "-"], Some(&arr)), 2);
        assert!(
            err.contains(&format!("element {element} at byte")) && err.contains("64 bits"),
            "{value}: {err}"
        );
    }
    // Inline values and flattened objects too.
    let err = fails(
        &s.run(&["insert", "a.db", "t", &format!("n:={big}")], None),
        2,
    );
    assert!(err.contains(big) && err.contains("64 bits"), "{err}");
    let flat = format!("{{\"a\": {{\"b\": {big}}}}}\n");
    let err = fails(
        &s.run(&["insert", "a.db", "t", "-", "--flatten"], Some(&flat)),
        2,
    );
    assert!(err.contains("a_b") || err.contains(big), "{err}");
    assert_eq!(user_tables(&db), 0);

    // The extremes that do fit are stored exactly, and floats written with
    // an exponent are floats, not mistaken for huge integers.
    let ok_rows = "[{\"n\": 9223372036854775807, \"f\": 1e30, \"l\": [18446744073709551615, 1e30]},\n {\"n\": -9223372036854775808, \"f\": -1E19, \"l\": []}]";
    ok(&s.run(&["insert", "a.db", "t", "-"], Some(ok_rows)));
    assert_eq!(
        quoted(
            &db,
            "select quote(n), typeof(f), f = 1e30 or f = -1e19, l from t order by rowid"
        ),
        [
            "9223372036854775807|real|1|[18446744073709551615,1e+30]",
            "-9223372036854775808|real|1|[]"
        ]
    );
}

// ------------------------------------------------- item 12: CSV text kept

#[test]
fn csv_cells_keep_their_text_in_text_columns_and_keys() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    // id is TEXT (01234 has a leading zero); v is TEXT (x is no number);
    // n is numeric: every value seen is a number.
    s.write(
        "a.csv",
        "id,v,n,r\n01234,1E5,1,1.5\n1E5,5.10,2,2\n-0,-0,3,1e2\n+5,+5,,-0.5\n",
    );
    ok(&s.run(&["insert", "c.db", "t", "a.csv", "--pk", "id"], None));
    assert_eq!(
        types(&db, "t"),
        pairs(&[
            ("id", "TEXT"),
            ("v", "TEXT"),
            ("n", "INTEGER"),
            ("r", "REAL")
        ])
    );
    assert_eq!(
        quoted(
            &db,
            "select quote(id), quote(v), quote(n), quote(r) from t order by rowid"
        ),
        [
            "'01234'|'1E5'|1|1.5",
            "'1E5'|'5.10'|2|2.0",
            "'-0'|'-0'|3|100.0",
            "'+5'|'+5'|NULL|-0.5"
        ]
    );
    // An upsert of "1E5" finds its row instead of making a second one.
    s.write("up.csv", "id,v\n1E5,changed\n");
    ok(&s.run(&["upsert", "c.db", "t", "up.csv"], None));
    assert_eq!(count(&db, "select count(*) from t"), 4);
    assert_eq!(
        quoted(&db, "select quote(v) from t where id = '1E5'"),
        ["'changed'"]
    );

    // A declared TEXT column keeps cell text exactly too, in TSV as well.
    ok(&s.run(
        &["create", "c.db", "d", "k:text", "x:text", "--pk", "k"],
        None,
    ));
    s.write("d.tsv", "k\tx\n1E5\t5.10\n007\t1.0\n");
    ok(&s.run(&["insert", "c.db", "d", "d.tsv"], None));
    assert_eq!(
        quoted(&db, "select quote(k), quote(x) from d order by rowid"),
        ["'1E5'|'5.10'", "'007'|'1.0'"]
    );
    // ... and in a column with no type (no affinity).
    ok(&s.run(&["create", "c.db", "a", "x:any"], None));
    s.write("x.csv", "x\n42\n1E5\n");
    ok(&s.run(&["insert", "c.db", "a", "x.csv"], None));
    assert_eq!(quoted(&db, "select quote(x) from a"), ["'42'", "'1E5'"]);
}

#[test]
fn csv_numbers_become_numbers_only_in_numeric_columns() {
    let s = Sandbox::new();
    let db = s.path("n.db");
    ok(&s.run(
        &["create", "n.db", "m", "i:integer", "f:real", "t:text"],
        None,
    ));
    s.write("m.csv", "i,f,t\n42,2.50,42\n1E2,7,7.0\n,,\n");
    ok(&s.run(&["insert", "n.db", "m", "m.csv"], None));
    assert_eq!(
        quoted(
            &db,
            "select quote(i), quote(f), quote(t) from m order by rowid"
        ),
        ["42|2.5|'42'", "100|7.0|'7.0'", "NULL|NULL|''"]
    );
    // --empty-null makes the text column's empty cell NULL too.
    s.write("e.csv", "i,f,t\n,,\n");
    ok(&s.run(&["insert", "n.db", "m", "e.csv", "--empty-null"], None));
    assert_eq!(
        quoted(&db, "select quote(t) from m order by rowid desc limit 1"),
        ["NULL"]
    );
}

#[test]
fn numbers_a_numeric_column_would_round_are_refused_in_every_position() {
    // SQLite's INTEGER and NUMERIC affinity turn the text of an integer
    // beyond 64 bits into a rounded REAL, and every numeric affinity turns
    // 1e999 into Infinity: refused, naming column and line, nothing written.
    let s = Sandbox::new();
    let db = s.path("h.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, i integer, n numeric, r real, tx text, u)",
    );
    let before = || {
        quoted(&db, "select quote(id), quote(i), quote(n), quote(r), quote(tx), quote(u) from t order by id")
    };
    let start = before();
    let refused: &[(&[&str], Option<&str>, &str, &str)] = &[
        (
            &["insert", "h.db", "t", "--csv", "-"],
            Some("id,i\n7,5\n8,99999999999999999999\n"),
            "column \"i\"",
            "line 3",
        ),
        (
            &["insert", "h.db", "t", "--csv", "-"],
            Some("id,n\n7, -9223372036854775809 \n"),
            "column \"n\"",
            "line 2",
        ),
        (
            &["insert", "h.db", "t", "--tsv", "-"],
            Some("id\tr\n7\t1e999\n"),
            "column \"r\"",
            "line 2",
        ),
        (
            &["insert", "h.db", "t", "-"],
            Some("{\"id\": 7, \"i\": \"99999999999999999999\"}"),
            "column \"i\"",
            "line 1",
        ),
        (
            &["insert", "h.db", "t", "-"],
            Some("[{\"id\": 7}, {\"id\": 8, \"n\": \"+18446744073709551616\"}]"),
            "column \"n\"",
            "",
        ),
        (
            &["insert", "h.db", "t", "id:=7", "i=99999999999999999999"],
            None,
            "column \"i\"",
            "",
        ),
        (
            &["upsert", "h.db", "t", "--pk", "id", "--csv", "-"],
            Some("id,i\n1,99999999999999999999\n"),
            "column \"i\"",
            "line 2",
        ),
        (
            &["update", "h.db", "t", "1", "i=99999999999999999999"],
            None,
            "column \"i\"",
            "",
        ),
        (
            &["update", "h.db", "t", "--csv", "-"],
            Some("id,n\n1,99999999999999999999\n"),
            "column \"n\"",
            "line 2",
        ),
    ];
    ok(&s.run(&["insert", "h.db", "t", "id:=1"], None));
    let start_with_row = before();
    for (args, stdin, column, line) in refused {
        let err = fails(&s.run(args, *stdin), 2);
        assert!(
            err.contains(column)
                && err.contains(line)
                && (err.contains("64 bits") || err.contains("Infinity")),
            "{args:?}: {err}"
        );
        assert_eq!(before(), start_with_row, "{args:?} wrote");
    }
    assert_ne!(start, start_with_row);
    // The same digits stay text where they can (TEXT and untyped columns),
    // and a REAL column holds the nearest double, as for any decimal.
    s.write(
        "ok.csv",
        "id,tx,u,r\n2,99999999999999999999,99999999999999999999,99999999999999999999\n",
    );
    ok(&s.run(&["insert", "h.db", "t", "ok.csv"], None));
    assert_eq!(
        quoted(
            &db,
            "select quote(tx), quote(u), quote(r) from t where id = 2"
        ),
        ["'99999999999999999999'|'99999999999999999999'|1.0e+20"]
    );
    // Numbers SQLite keeps exactly go in as numbers; what it does not read
    // as a number (hex, inf) stays text.
    s.write(
        "fine.csv",
        "id,i,n\n3,-9223372036854775808,1E5\n4,0x10,inf\n5, 7 ,1e308\n",
    );
    ok(&s.run(&["insert", "h.db", "t", "fine.csv"], None));
    assert_eq!(
        quoted(
            &db,
            "select quote(i), quote(n) from t where id >= 3 order by id"
        ),
        ["-9223372036854775808|100000", "'0x10'|'inf'", "7|1.0e+308"]
    );
}

// ------------------------------------------------- item 18: exact floats

#[test]
fn json_floats_are_stored_as_the_nearest_double() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    let values = [
        "123456789.12345679",
        "0.7116109466329968",
        "5e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "0.1",
        "9007199254740993.0",
        "2.4703282292062328e-324",
    ];
    let nd: String = values.iter().map(|v| format!("{{\"x\": {v}}}\n")).collect();
    ok(&s.run(&["insert", "f.db", "t", "-"], Some(&nd)));
    let inline: Vec<String> = values.iter().map(|v| format!("x:={v}")).collect();
    for arg in &inline {
        ok(&s.run(&["insert", "f.db", "i", arg], None));
    }
    for table in ["t", "i"] {
        let got: Vec<f64> = rows(&db, &format!("select x from {table} order by rowid"))
            .iter()
            .map(|r| r["x"].as_f64().unwrap())
            .collect();
        let want: Vec<f64> = values.iter().map(|v| v.parse::<f64>().unwrap()).collect();
        let got_bits: Vec<u64> = got.iter().map(|f| f.to_bits()).collect();
        let want_bits: Vec<u64> = want.iter().map(|f| f.to_bits()).collect();
        assert_eq!(got_bits, want_bits, "{table}: {got:?} vs {want:?}");
    }
    // The sqlite3 shell parses the same literal to the same double.
    assert_eq!(
        sqlite3(&db, "select count(*) from t where x = 123456789.12345679"),
        "1\n"
    );
}

// ------------------------------------------------- item 19: mixed columns

#[test]
fn mixed_json_column_keeps_each_value_type() {
    let s = Sandbox::new();
    let db = s.path("m.db");
    let nd = "{\"m\": 438}\n{\"m\": \"01234\"}\n{\"m\": true}\n{\"m\": 0.7116109466329968}\n{\"m\": null}\n{\"m\": [1]}\n";
    ok(&s.run(&["insert", "m.db", "t", "-"], Some(nd)));
    // No declared type: no affinity (ANY outside STRICT would be NUMERIC
    // and turn '01234' into 1234; TEXT would turn 438 into '438').
    assert_eq!(types(&db, "t"), pairs(&[("m", "")]));
    assert_eq!(
        quoted(
            &db,
            "select typeof(m) || ':' || quote(m) from t order by rowid"
        ),
        [
            "integer:438",
            "text:'01234'",
            "integer:1",
            "real:0.711610946632996843597",
            "null:NULL",
            "text:'[1]'"
        ]
        .map(|s| s.replace(
            "0.711610946632996843597",
            &real_quote(&db, 0.7116109466329968)
        ))
    );
    let back = ok(&s.run(&["query", "m.db", "select m from t order by rowid"], None));
    let back: Value = serde_json::from_str(&back).unwrap();
    assert_eq!(
        back,
        json!([{"m": 438}, {"m": "01234"}, {"m": 1}, {"m": 0.7116109466329968}, {"m": null}, {"m": "[1]"}])
    );

    // Numbers that do go into a TEXT column are stored as their shortest exact text.
    ok(&s.run(&["create", "m.db", "txt", "s:text"], None));
    let nd = "{\"s\": 0.7116109466329968}\n{\"s\": 438}\n{\"s\": 1e300}\n{\"s\": 0.1}\n";
    ok(&s.run(&["insert", "m.db", "txt", "-"], Some(nd)));
    assert_eq!(
        quoted(&db, "select quote(s) from txt order by rowid"),
        ["'0.7116109466329968'", "'438'", "'1e300'", "'0.1'"]
    );
    // The same through --alter: a new column added for a mixed value.
    ok(&s.run(&["insert", "m.db", "txt", "s=x", "k:=2.5", "--alter"], None));
    assert_eq!(
        quoted(&db, "select typeof(k) from txt where s = 'x'"),
        ["real"]
    );
}

/// How the shell's quote() prints a REAL (its format, not ours).
fn real_quote(db: &Path, f: f64) -> String {
    sqlite3(db, &format!("select quote({f:?})"))
        .trim()
        .to_string()
}

fn types(db: &Path, table: &str) -> Vec<(String, String)> {
    columns(db, table)
        .into_iter()
        .map(|(n, t, _, _, _)| (n, t))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// ------------------------------------------------- item 18: property test

/// One generated cell: the JSON text written and the value expected back.
struct Cell {
    json: String,
    want: Value,
}

fn float_cell(rng: &mut fastrand::Rng) -> Cell {
    let f = match rng.u8(0..6) {
        // Any finite double: every magnitude, signs, normal and subnormal.
        0 | 1 => loop {
            let f = f64::from_bits(rng.u64(..));
            if f.is_finite() {
                break f;
            }
        },
        // Subnormals.
        2 => f64::from_bits(rng.u64(1..(1u64 << 52))) * if rng.bool() { 1.0 } else { -1.0 },
        // Everyday values with 15-17 significant digits.
        3 => rng.f64() * 10f64.powi(rng.i32(-10..12)),
        // Extremes.
        4 => *rng
            .choice(&[
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
                5e-324,
                -5e-324,
                0.0,
                1e22,
                9007199254740993.0,
                0.1,
            ])
            .unwrap(),
        _ => rng.f64() - 0.5,
    };
    // Written as the shortest text, or with 17 or 21 significant digits (a
    // literal that is not the shortest must still parse to the same double).
    let json = match rng.u8(0..3) {
        0 => serde_json::to_string(&f).unwrap(),
        1 => format!("{f:.16e}"),
        _ => format!("{f:.20e}"),
    };
    let json = if json.contains(['.', 'e', 'E']) {
        json
    } else {
        format!("{json}.0")
    };
    Cell {
        json,
        want: json!(f),
    }
}

fn int_cell(rng: &mut fastrand::Rng) -> Cell {
    let i = match rng.u8(0..4) {
        0 => *rng
            .choice(&[i64::MIN, i64::MAX, 0, -1, 1, i64::MIN + 1])
            .unwrap(),
        1 => rng.i64(-1000..1000),
        _ => rng.i64(..),
    };
    Cell {
        json: i.to_string(),
        want: json!(i),
    }
}

fn text_cell(rng: &mut fastrand::Rng) -> Cell {
    let pools: [(u32, u32); 7] = [
        (0x20, 0x7e),
        (0x01, 0x1f),
        (0xa0, 0x24f),
        (0x300, 0x36f),
        (0x4e00, 0x9fff),
        (0x1f300, 0x1f6ff),
        (0x10000, 0x1000f),
    ];
    let len = rng.usize(0..24);
    let text: String = (0..len)
        .filter_map(|_| {
            let (lo, hi) = pools[rng.usize(0..pools.len())];
            char::from_u32(rng.u32(lo..=hi))
        })
        .collect();
    Cell {
        json: serde_json::to_string(&text).unwrap(),
        want: json!(text),
    }
}

fn mixed_cell(rng: &mut fastrand::Rng) -> Cell {
    match rng.u8(0..5) {
        0 => text_cell(rng),
        1 => int_cell(rng),
        2 => float_cell(rng),
        3 => {
            let b = rng.bool();
            Cell {
                json: b.to_string(),
                want: json!(i64::from(b)),
            }
        }
        _ => Cell {
            json: "null".into(),
            want: Value::Null,
        },
    }
}

/// Floats compared by their bits, the rest as JSON.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            x.as_f64().map(f64::to_bits) == y.as_f64().map(f64::to_bits)
        }
        _ => a == b,
    }
}

#[test]
fn random_rows_inserted_as_json_read_back_identical() {
    let mut rng = fastrand::Rng::with_seed(0x11_7e_57);
    let s = Sandbox::new();
    let db = s.path("p.db");
    let mut expected: Vec<[Value; 4]> = Vec::new();
    let mut lines = Vec::new();
    for n in 0..600 {
        let (f, i, t) = (
            float_cell(&mut rng),
            int_cell(&mut rng),
            text_cell(&mut rng),
        );
        // The first rows show the mixed column both text and numbers.
        let m = match n {
            0 => text_cell(&mut rng),
            1 => int_cell(&mut rng),
            2 => float_cell(&mut rng),
            _ => mixed_cell(&mut rng),
        };
        lines.push(format!(
            "{{\"f\": {}, \"i\": {}, \"t\": {}, \"m\": {}}}",
            f.json, i.json, t.json, m.json
        ));
        expected.push([f.want, i.want, t.want, m.want]);
    }
    s.write("rows.json", &format!("[\n{}\n]\n", lines.join(",\n")));
    s.write("rows.ndjson", &(lines.join("\n") + "\n"));
    ok(&s.run(&["insert", "p.db", "arr", "rows.json"], None));
    ok(&s.run(&["insert", "p.db", "nd", "rows.ndjson"], None));

    for table in ["arr", "nd"] {
        let out = ok(&s.run(
            &[
                "query",
                "p.db",
                &format!("select f, i, t, m from {table} order by rowid"),
            ],
            None,
        ));
        let got: Vec<Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(got.len(), expected.len());
        for (n, (row, want)) in got.iter().zip(&expected).enumerate() {
            for (col, w) in ["f", "i", "t", "m"].iter().zip(want) {
                assert!(
                    same(&row[*col], w),
                    "{table} row {n} column {col}: got {} want {w} (input {})",
                    row[*col],
                    lines[n]
                );
            }
        }
        // An independent reader agrees, types included.
        let direct = rows(
            &db,
            &format!("select f, i, t, m, typeof(f) tf, typeof(i) ti, typeof(m) tm from {table} order by rowid"),
        );
        for (n, (row, want)) in direct.iter().zip(&expected).enumerate() {
            assert_eq!(row["tf"], "real", "row {n}");
            assert_eq!(row["ti"], "integer", "row {n}");
            let tm = match &want[3] {
                Value::Null => "null",
                Value::String(_) => "text",
                Value::Number(x) if x.is_f64() => "real",
                _ => "integer",
            };
            assert_eq!(row["tm"], tm, "row {n}: {}", lines[n]);
            assert!(same(&row["f"], &want[0]), "row {n}");
            assert!(same(&row["m"], &want[3]) || row["m"] == want[3], "row {n}");
        }
    }
}

#[test]
fn update_keeps_values_exact_too() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    ok(&s.run(
        &[
            "create",
            "u.db",
            "t",
            "id:integer",
            "s:text",
            "n:integer",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(&["insert", "u.db", "t", "id:=1", "s=x", "n:=5"], None));
    ok(&s.run(&["insert", "u.db", "t", "id:=2", "s=y", "n:=6"], None));
    // A JSON float into a TEXT column: its shortest exact text.
    ok(&s.run(&["update", "u.db", "t", "1", "s:=0.7116109466329968"], None));
    ok(&s.run(
        &["update", "u.db", "t", "--where", "id = 2", "s:=0.1"],
        None,
    ));
    // CSV rows: an empty cell in a numeric column is NULL, text kept as written.
    ok(&s.run(
        &["update", "u.db", "t", "-", "--csv"],
        Some("id,s,n\n2,1E5,\n"),
    ));
    assert_eq!(
        sqlite3(&db, "select quote(s), quote(n) from t order by id"),
        "'0.7116109466329968'|5\n'1E5'|NULL\n"
    );
}

/// A column that sees integers and floats is REAL, which rounds an integer
/// beyond 2^53 (`9007199254740993` became `9007199254740992.0`, one 64-bit
/// integer in five of a random column): when the rows that make the table
/// hold such an integer, the column gets no type (JSON) or TEXT (CSV cells)
/// and every value reads back as written; into an existing REAL column such
/// an integer is an error naming the column, and nothing is written.
#[test]
fn integers_and_floats_in_one_column_keep_every_integer() {
    let mut rng = fastrand::Rng::with_seed(0x7ea1);
    let s = Sandbox::new();
    let mut lines = Vec::new();
    let mut want = Vec::new();
    for n in 0..300 {
        let cell = if n % 2 == 0 {
            int_cell(&mut rng)
        } else {
            float_cell(&mut rng)
        };
        lines.push(format!("{{\"n\": {}}}", cell.json));
        want.push(cell.want);
    }
    s.write("nums.ndjson", &(lines.join("\n") + "\n"));
    ok(&s.run(&["insert", "n.db", "t", "nums.ndjson"], None));
    let got = rows(&s.path("n.db"), "select n from t order by rowid");
    for (n, (row, w)) in got.iter().zip(&want).enumerate() {
        assert!(same(&row["n"], w), "row {n}: got {} want {w}", row["n"]);
    }
    assert_eq!(
        types(&s.path("n.db"), "t"),
        pairs(&[("n", "")]),
        "a column holding integers a REAL would round has no type"
    );

    // Small integers and floats still make REAL.
    ok(&s.run(
        &["insert", "r.db", "t", "-", "--pk", "id"],
        Some("{\"id\": 1, \"x\": 1}\n{\"id\": 2, \"x\": 2.5}\n"),
    ));
    assert_eq!(
        types(&s.path("r.db"), "t"),
        pairs(&[("id", "INTEGER"), ("x", "REAL")])
    );
    // Into that REAL column, every route of a JSON integer: a row, inline,
    // an update. (Number text, as a CSV cell, is taken as the nearest double
    // like any decimal: see numbers_a_numeric_column_would_round_...)
    let before = quoted(&s.path("r.db"), "select id, x from t");
    let err = fails(
        &s.run(
            &["insert", "r.db", "t", "-"],
            Some("{\"id\": 3, \"x\": 9007199254740993}\n"),
        ),
        2,
    );
    assert!(
        err.contains("column \"x\"") && err.contains("9007199254740993") && err.contains("line 1"),
        "{err}"
    );
    let err = fails(
        &s.run(
            &["insert", "r.db", "t", "id:=4", "x:=-9223372036854775807"],
            None,
        ),
        2,
    );
    assert!(err.contains("column \"x\""), "{err}");
    let err = fails(
        &s.run(&["update", "r.db", "t", "1", "x:=9007199254740993"], None),
        2,
    );
    assert!(err.contains("column \"x\""), "{err}");
    assert_eq!(quoted(&s.path("r.db"), "select id, x from t"), before);
    // An integer a REAL holds exactly is fine.
    ok(&s.run(
        &["insert", "r.db", "t", "id:=6", "x:=9007199254740992"],
        None,
    ));
    assert_eq!(
        sqlite3(
            &s.path("r.db"),
            "select typeof(x), cast(x as integer) from t where id = 6"
        ),
        "real|9007199254740992\n"
    );

    // CSV: the column becomes TEXT and keeps each cell as written.
    s.write("mixed.csv", "x\n1.5\n12345678901234567\n");
    ok(&s.run(&["insert", "c.db", "t", "mixed.csv"], None));
    assert_eq!(types(&s.path("c.db"), "t"), pairs(&[("x", "TEXT")]));
    assert_eq!(
        quoted(&s.path("c.db"), "select quote(x) from t"),
        vec!["'1.5'", "'12345678901234567'"]
    );
}
