//! Issue 11 item 1: CSV/TSV options named as sqlite-utils names them, and
//! --lines / --text. The expected rows are what sqlite-utils 4.2 stores for
//! the same input (encoded here; the tests do not run sqlite-utils), except
//! where the README says litewrite differs: `01234` stays text, and --lines
//! keeps each line's spaces.

mod common;
use common::*;

use std::path::Path;

fn dump(db: &Path, sql: &str) -> Vec<String> {
    sqlite3(db, sql).lines().map(str::to_string).collect()
}

fn schema(db: &Path, table: &str) -> Vec<String> {
    columns(db, table)
        .into_iter()
        .map(|(n, t, _, _, _)| format!("{n} {t}"))
        .collect()
}

#[test]
fn delimiter_and_sniff_read_a_semicolon_file() {
    let s = Sandbox::new();
    s.write("semi.csv", "a;b;c\n1;2;x y\n3;4;z\n");
    // sqlite-utils: columns a INTEGER, b INTEGER, c TEXT.
    for (table, args) in [("d", vec!["--delimiter", ";"]), ("s", vec!["--sniff"])] {
        let mut argv = vec!["insert", "a.db", table, "semi.csv"];
        argv.extend(args);
        let o = s.run(&argv, None);
        ok(&o);
        assert_eq!(stderr(&o), "", "no warning when the delimiter is given");
        let db = s.path("a.db");
        assert_eq!(schema(&db, table), ["a INTEGER", "b INTEGER", "c TEXT"]);
        assert_eq!(
            dump(&db, &format!("select a, b, c from {table} order by rowid")),
            ["1|2|x y", "3|4|z"]
        );
    }
    // --sniff on stdin implies --csv; --delimiter alone implies --csv too.
    ok(&s.run(
        &["insert", "a.db", "p", "-", "--sniff"],
        Some("k|v\n1|a,b\n2|c\n"),
    ));
    assert_eq!(
        dump(&s.path("a.db"), "select k, v from p order by rowid"),
        ["1|a,b", "2|c"]
    );
    ok(&s.run(
        &["insert", "a.db", "t", "-", "--delimiter", "\\t"],
        Some("k\tv\n1\tx\n"),
    ));
    assert_eq!(dump(&s.path("a.db"), "select k, v from t"), ["1|x"]);
}

#[test]
fn a_one_column_header_holding_another_delimiter_warns() {
    let s = Sandbox::new();
    s.write("semi.csv", "a;b;c\n1;2;3\n");
    let o = s.run(&["insert", "a.db", "t", "semi.csv"], None);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("warning") && err.contains("--delimiter ';'") && err.contains("--sniff"),
        "{err}"
    );
    // Still what was asked for (sqlite-utils makes the same one column).
    assert_eq!(schema(&s.path("a.db"), "t"), ["a;b;c TEXT"]);
    // -q silences the warning.
    s.write("semi2.csv", "x;y\n1;2\n");
    let o = s.run(&["insert", "a.db", "u", "semi2.csv", "-q"], None);
    ok(&o);
    assert_eq!(stderr(&o), "");
}

#[test]
fn quotechar_no_headers_and_stop_after() {
    let s = Sandbox::new();
    let db = s.path("q.db");
    ok(&s.run(
        &["insert", "q.db", "q", "-", "--csv", "--quotechar", "'"],
        Some("name,note\n'Smith, J',plain\nDoe,'a ''quoted'' word'\n"),
    ));
    assert_eq!(
        dump(&db, "select name, note from q order by rowid"),
        ["Smith, J|plain", "Doe|a 'quoted' word"]
    );
    // sqlite-utils --no-headers: untitled_1..., the first line is a row.
    ok(&s.run(
        &["insert", "q.db", "n", "-", "--no-headers"],
        Some("a,b,c\n1,2,3\n"),
    ));
    assert_eq!(
        schema(&db, "n"),
        ["untitled_1 TEXT", "untitled_2 TEXT", "untitled_3 TEXT"]
    );
    assert_eq!(
        dump(&db, "select * from n order by rowid"),
        ["a|b|c", "1|2|3"]
    );
    ok(&s.run(
        &["insert", "q.db", "st", "-", "--csv", "--stop-after", "2"],
        Some("a\n1\n2\n3\n4\n"),
    ));
    assert_eq!(dump(&db, "select a from st order by rowid"), ["1", "2"]);
    // --stop-after applies to JSON too.
    ok(&s.run(
        &["insert", "q.db", "sj", "-", "--stop-after", "1"],
        Some("{\"a\": 1}\n{\"a\": 2}\n"),
    ));
    assert_eq!(dump(&db, "select a from sj"), ["1"]);
}

#[test]
fn encoding_decodes_latin1_and_cp1252() {
    let s = Sandbox::new();
    let db = s.path("e.db");
    // "café", "naïve", and cp1252's euro sign (0x80).
    std::fs::write(
        s.path("l1.csv"),
        b"word,price\ncaf\xe9,1\nna\xefve,\x80 2\n",
    )
    .unwrap();
    let err = fails(&s.run(&["insert", "e.db", "w", "l1.csv"], None), 2);
    assert!(
        err.contains("l1.csv line 2") && err.contains("--encoding"),
        "{err}"
    );
    assert!(!db.exists() || count(&db, "select count(*) from sqlite_master where name = 'w'") == 0);
    for enc in ["latin-1", "cp1252", "windows-1252", "ISO-8859-1"] {
        let table = format!("w_{}", enc.replace('-', "_"));
        ok(&s.run(
            &["insert", "e.db", &table, "l1.csv", "--encoding", enc],
            None,
        ));
        assert_eq!(
            dump(
                &db,
                &format!("select word, price from {table} order by rowid")
            ),
            ["café|1", "naïve|€ 2"],
            "{enc}"
        );
    }
    let err = fails(
        &s.run(
            &["insert", "e.db", "x", "l1.csv", "--encoding", "klingon"],
            None,
        ),
        2,
    );
    assert!(err.contains("unknown encoding \"klingon\""), "{err}");
    // A UTF-8 byte-order mark says the file is UTF-8: another --encoding
    // would garble its text and its first column's name. Refused, nothing
    // made; with --encoding utf-8 (or none) the mark is skipped.
    std::fs::write(s.path("bom.csv"), "\u{feff}mot,prix\ncafé,1\n").unwrap();
    for (enc, table) in [("latin-1", "b1"), ("cp1252", "b2"), ("utf-16le", "b3")] {
        let err = fails(
            &s.run(
                &["insert", "e.db", table, "bom.csv", "--encoding", enc],
                None,
            ),
            2,
        );
        assert!(
            err.contains("bom.csv starts with a UTF-8 byte-order mark")
                && err.contains("drop --encoding"),
            "{enc}: {err}"
        );
        assert_eq!(
            count(
                &db,
                &format!("select count(*) from sqlite_master where name = '{table}'")
            ),
            0
        );
    }
    ok(&s.run(
        &["insert", "e.db", "b4", "bom.csv", "--encoding", "utf-8"],
        None,
    ));
    assert_eq!(dump(&db, "select mot, prix from b4"), ["café|1"]);
    // UTF-16 with its BOM, as Excel writes "Unicode text".
    let mut utf16 = vec![0xff, 0xfe];
    for u in "a\tb\n1\tü\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(s.path("u16.tsv"), utf16).unwrap();
    ok(&s.run(
        &["insert", "e.db", "u", "u16.tsv", "--encoding", "utf-16le"],
        None,
    ));
    assert_eq!(dump(&db, "select a, b from u"), ["1|ü"]);
}

#[test]
fn no_detect_types_keeps_every_new_column_text() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(
        &["insert", "t.db", "t", "-", "--csv", "--no-detect-types"],
        Some("id,n\n1,2.5\n2,\n"),
    ));
    // sqlite-utils --no-detect-types: id TEXT, n TEXT, '' kept.
    assert_eq!(schema(&db, "t"), ["id TEXT", "n TEXT"]);
    assert_eq!(
        dump(&db, "select quote(id), quote(n) from t order by rowid"),
        ["'1'|'2.5'", "'2'|''"]
    );
}

/// sqlite-utils' `-d`/`--detect-types` is accepted (detecting numbers is
/// the default); of it and --no-detect-types the last one given wins.
#[test]
fn detect_types_is_the_default_and_the_last_of_the_two_wins() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    for (table, flags, expected) in [
        ("a", &["-d"][..], "INTEGER"),
        ("b", &["--detect-types"][..], "INTEGER"),
        ("c", &["--no-detect-types", "--detect-types"][..], "INTEGER"),
        ("d", &["--detect-types", "--no-detect-types"][..], "TEXT"),
    ] {
        let mut args = vec!["insert", "d.db", table, "-", "--csv"];
        args.extend_from_slice(flags);
        ok(&s.run(&args, Some("n\n1\n")));
        assert_eq!(schema(&db, table), [format!("n {expected}")], "{flags:?}");
    }
}

#[test]
fn lines_and_text_make_one_column_rows() {
    let s = Sandbox::new();
    let db = s.path("l.db");
    ok(&s.run(
        &["insert", "l.db", "lines", "-", "--lines"],
        Some("hello world\nsecond, line\r\n\n  indented\n"),
    ));
    assert_eq!(schema(&db, "lines"), ["line TEXT"]);
    assert_eq!(
        dump(&db, "select quote(line) from lines order by rowid"),
        ["'hello world'", "'second, line'", "''", "'  indented'"]
    );
    ok(&s.run(
        &["insert", "l.db", "doc", "-", "--text"],
        Some("hello world\nsecond, line\n"),
    ));
    assert_eq!(schema(&db, "doc"), ["text TEXT"]);
    assert_eq!(count(&db, "select count(*) from doc"), 1);
    assert_eq!(
        dump(
            &db,
            "select text = 'hello world' || char(10) || 'second, line' || char(10) from doc"
        ),
        ["1"]
    );
    let err = fails(
        &s.run(
            &["insert", "l.db", "x", "-", "--lines", "--csv"],
            Some("a\n"),
        ),
        2,
    );
    assert!(err.contains("--lines") && err.contains("--csv"), "{err}");
}

/// Flags that say how to read CSV/TSV cells (--empty-null,
/// --no-detect-types, --no-headers) given with rows that are not cells (JSON
/// from a file or stdin, --lines, --text, COL=VALUE) are a usage error naming
/// the flag, as sqlite-utils refuses --empty-null with JSON: they were
/// ignored without a word, and `""` stayed `''`. Nothing is created.
#[test]
fn cell_flags_with_rows_that_are_not_cells_are_refused() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    s.write("rows.json", "[{\"a\": \"\", \"b\": 1}]");
    s.write("lines.txt", "x\n\ny\n");
    let cases: [(&[&str], Option<&str>, &str); 6] = [
        (&["rows.json", "--empty-null"], None, "--empty-null"),
        (
            &["rows.json", "--no-detect-types"],
            None,
            "--no-detect-types",
        ),
        (
            &["-", "--empty-null"],
            Some("{\"a\": \"\"}\n"),
            "--empty-null",
        ),
        (
            &["lines.txt", "--lines", "--empty-null"],
            None,
            "--empty-null",
        ),
        (
            &["lines.txt", "--text", "--no-headers"],
            None,
            "--no-headers",
        ),
        (
            &["a=", "--empty-null", "--no-detect-types"],
            None,
            "--empty-null and --no-detect-types",
        ),
    ];
    for (extra, stdin, flag) in cases {
        let mut args = vec!["insert", "c.db", "t"];
        args.extend_from_slice(extra);
        let err = fails(&s.run(&args, stdin), 2);
        assert!(
            err.contains(&format!("{flag} only applies to CSV/TSV input")),
            "{args:?}: {err}"
        );
        assert!(
            !db.exists() || count(&db, "select count(*) from sqlite_master where name = 't'") == 0,
            "{args:?} created the table"
        );
    }
    // With cells they do what they say, and -d (the default) is fine anywhere.
    s.write("rows.csv", "a,b\n,1\n");
    ok(&s.run(
        &[
            "insert",
            "c.db",
            "t",
            "rows.csv",
            "--empty-null",
            "--no-detect-types",
        ],
        None,
    ));
    assert_eq!(dump(&db, "select quote(a), quote(b) from t"), ["NULL|'1'"]);
    ok(&s.run(&["insert", "c.db", "j", "rows.json", "-d"], None));
    assert_eq!(dump(&db, "select quote(a), quote(b) from j"), ["''|1"]);
}

/// Input that starts with a UTF-16 byte-order mark (Excel's "Unicode Text"
/// is UTF-16LE TSV so) is read as UTF-16 without --encoding, whatever the
/// format: it was refused as invalid UTF-8 (or, for JSON, told to use
/// --csv). No UTF-8 text starts with 0xFF or 0xFE, so nothing else changes.
#[test]
fn a_utf16_byte_order_mark_needs_no_encoding() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    let utf16 = |text: &str, big_endian: bool| -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    };
    std::fs::write(
        s.path("excel.txt"),
        utf16("name\tqty\r\ncafé\t1\r\n😀 naïve\t2\r\n", false),
    )
    .unwrap();
    std::fs::write(s.path("be.csv"), utf16("name,qty\ncafé,1\n", true)).unwrap();
    std::fs::write(
        s.path("rows.json"),
        utf16("[{\"name\": \"café\", \"qty\": 1}]", false),
    )
    .unwrap();
    ok(&s.run(&["insert", "u.db", "tsv", "excel.txt", "--tsv"], None));
    ok(&s.run(&["insert", "u.db", "be", "be.csv"], None));
    ok(&s.run(&["insert", "u.db", "json", "rows.json"], None));
    ok(&s.run(
        &[
            "insert",
            "u.db",
            "explicit",
            "excel.txt",
            "--tsv",
            "--encoding",
            "utf-16",
        ],
        None,
    ));
    assert_eq!(
        dump(&db, "select name, qty, typeof(qty) from tsv order by rowid"),
        ["café|1|integer", "😀 naïve|2|integer"]
    );
    assert_eq!(schema(&db, "tsv"), ["name TEXT", "qty INTEGER"]);
    assert_eq!(dump(&db, "select name, qty from be"), ["café|1"]);
    assert_eq!(dump(&db, "select name, qty from json"), ["café|1"]);
    assert_eq!(
        dump(&db, "select name from explicit order by rowid"),
        ["café", "😀 naïve"]
    );
    // An explicit --encoding still wins: Latin-1 text that happens to start
    // with "ÿþ" is read as written.
    std::fs::write(s.path("l1.csv"), b"\xff\xfea,b\n1,2\n").unwrap();
    ok(&s.run(
        &["insert", "u.db", "l1", "l1.csv", "--encoding", "latin-1"],
        None,
    ));
    assert_eq!(schema(&db, "l1"), ["ÿþa INTEGER", "b INTEGER"]);
    assert_eq!(dump(&db, "select * from l1"), ["1|2"]);
}

/// JSON that is not UTF-8 (a Latin-1 é in a value or a key, in an array or
/// NDJSON) says so and names --encoding, as CSV does: the error said only
/// "invalid unicode code point". With --encoding the rows land as written.
#[test]
fn json_that_is_not_utf8_names_encoding() {
    let s = Sandbox::new();
    let db = s.path("j.db");
    ok(&s.run(&["insert", "j.db", "t", "a=seed"], None));
    std::fs::write(
        s.path("arr.json"),
        b"[{\"a\": \"ok\"}, {\"a\": \"caf\xe9\"}]",
    )
    .unwrap();
    std::fs::write(
        s.path("rows.ndjson"),
        b"{\"a\": \"ok\"}\n{\"caf\xe9\": 1}\n",
    )
    .unwrap();
    let before = sqlite3(&db, "select group_concat(a) from t");
    for (file, place) in [("arr.json", "element 1"), ("rows.ndjson", "line 2")] {
        let err = fails(&s.run(&["insert", "j.db", "t", file, "--alter"], None), 2);
        assert!(
            err.contains(&format!("{file} {place}"))
                && err.contains("not UTF-8")
                && err.contains("--encoding"),
            "{err}"
        );
        assert_eq!(sqlite3(&db, "select group_concat(a) from t"), before);
    }
    ok(&s.run(
        &["insert", "j.db", "t", "arr.json", "--encoding", "latin-1"],
        None,
    ));
    assert_eq!(
        dump(&db, "select a from t order by rowid"),
        ["seed", "ok", "café"]
    );
}
