mod common;
use common::*;

#[test]
fn insert_then_query_round_trip() {
    let s = Sandbox::new();
    let out = s.run(
        &["insert", "t.db", "users", "-"],
        Some("{\"id\": 1, \"name\": \"a\"}\n"),
    );
    ok(&out);
    assert_eq!(count(&s.path("t.db"), "select count(*) from users"), 1);
}
