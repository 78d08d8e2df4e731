//! The README's tour runs as written: its `sh` block, with the examples/
//! data, in a temp dir, litewrite on PATH. Every command must succeed.

mod common;
use common::*;

use std::path::Path;

#[test]
fn the_readme_tour_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let tour = readme
        .split("## A tour")
        .nth(1)
        .and_then(|t| t.split("```sh\n").nth(1))
        .and_then(|t| t.split("```").next())
        .expect("a ```sh block under ## A tour");
    assert!(
        tour.contains("--delimiter") && tour.contains("--fmt") && tour.contains("-j min"),
        "the tour shows the new flags"
    );

    let s = Sandbox::new();
    std::fs::create_dir(s.path("examples")).unwrap();
    for f in std::fs::read_dir(root.join("examples")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), s.path("examples").join(f.file_name())).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("litewrite");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", tour])
        .current_dir(s.path(""))
        .env_clear()
        .env("PATH", path)
        .env("HOME", s.path(""))
        .env("LITEWRITE_ACTOR", "ci")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the tour failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let db = s.path("app.db");
    assert_eq!(
        sqlite3(&db, "select lot, typeof(qty) from stock order by sku"),
        "01234|integer\n1E5|integer\n"
    );
    assert_eq!(
        sqlite3(&db, "select name from stock where sku = 'A-1'"),
        "Café crème\n"
    );
    assert_eq!(count(&db, "select count(*) from notes"), 2);
    assert!(s.path(".local/share/man/man1/litewrite-insert.1").exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"updated\":1"));
}
