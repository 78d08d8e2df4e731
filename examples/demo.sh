#!/usr/bin/env bash
# Builds litewrite and runs it on the example data in a fresh temp dir:
# inserts, an update and its undo, a protected table, the audit log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cargo build --release --quiet --manifest-path "$here/../Cargo.toml"
lw="$here/../target/release/litewrite"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/app.db"
export LITEWRITE_CONFIG="$here/plugins.toml" LITEWRITE_ACTOR=demo
step() { printf '\n$ %s\n' "$*"; "$@"; }

step "$lw" insert "$db" users "$here/users.json" --pk id
step "$lw" insert "$db" events "$here/events.ndjson" --json
step "$lw" insert "$db" prices "$here/prices.csv" --pk sku
step "$lw" query "$db" "select sku, price, zip, typeof(zip) as zip_type from prices" -t
step "$lw" insert "$db" stock "$here/stock.csv" --delimiter ';' --encoding latin-1 --pk sku --json
step "$lw" query "$db" "select sku, name, lot, qty from stock where qty > :min" -j min 5 --fmt markdown
step "$lw" update "$db" users 2 email=robert@example.com -m "Bob changed his address"
step "$lw" history "$db"
group=$("$lw" history "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
step "$lw" show "$db" "$group"
step "$lw" undo "$db" "$group"
step "$lw" query "$db" "select id, name, email from users" -t
# payroll is protected; admin.toml exempts the OS user running the demo
me="$(id -un)"
sed "s/allow-users = \[\"deploy\"\]/allow-users = [\"$me\"]/" "$here/plugins.toml" > "$work/admin.toml"
step "$lw" create "$db" payroll id:integer salary:real --pk id --config "$work/admin.toml"
printf '\n$ %s\n' "$lw --actor admin query $db \"insert into payroll values (1, 1e6)\"   # $me is not in allow-users; --actor is a label: denied"
"$lw" --actor admin query "$db" "insert into payroll values (1, 1e6)" || echo "(exit $?)"
step "$lw" audit "$db" --format table
step "$lw" audit verify "$db"
step "$lw" config
