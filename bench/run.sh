#!/usr/bin/env bash
# litewrite throughput and latency benchmark. Run from the repo root:
#
#   bench/run.sh                       # ROWS=1000000 RUNS=3 SINGLE_N=50
#   ROWS=20000 RUNS=1 bench/run.sh     # quick check
#
# Knobs (environment):
#   ROWS=1000000     rows in the generated bulk input
#   RUNS=3           runs per bulk contender (the median is reported)
#   SINGLE_N=50      timed runs per single-row contender (the median is reported)
#   BUILD=1          0: skip `cargo build` and use the binaries already built
#   LITEWRITE=...    litewrite binary (default target/release/litewrite)
#   RUSQLITE_LOOP=.. baseline binary (default target/release/examples/rusqlite_loop)
#   BENCH_TMP=...    where the temporary directory goes (default $TMPDIR or /tmp)
#   KEEP=1           keep the temporary directory (inputs and results.tsv)
#   ONLY=REGEX       run only the contenders whose "kind: name" matches (bash
#                    regex), e.g. ONLY='^bulk: (litewrite|sqlite-utils)$'
#
# To add a contender, add a `bulk NAME CMD...` line (before `run_bulk`) or a
# `single NAME CMD...` line in the contenders section: {db} in CMD is replaced
# by a fresh database path, {i} (single only) by the run number. See
# bench/README.md.
set -euo pipefail

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
SINGLE_N=${SINGLE_N:-50}
BUILD=${BUILD:-1}
KEEP=${KEEP:-0}
ONLY=${ONLY:-}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

LITEWRITE=${LITEWRITE:-$root/target/release/litewrite}
RUSQLITE_LOOP=${RUSQLITE_LOOP:-$root/target/release/examples/rusqlite_loop}
NO_WRAPPERS=$root/bench/no-wrappers.toml
WRAPPED=$root/bench/audit-and-change-group.toml
HARNESS=(python3 "$root/bench/harness.py")
VENV=$root/target/bench-venv

log() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
if [[ $BUILD == 1 ]]; then
    log "== building (release) =="
    cargo build --release
    cargo build --release --example rusqlite_loop
fi

# ---------------------------------------------------------------- sqlite-utils
if [[ ! -x $VENV/bin/sqlite-utils ]]; then
    log "== installing sqlite-utils into $VENV =="
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check sqlite-utils
fi
SQLITE_UTILS=$VENV/bin/sqlite-utils

# ---------------------------------------------------------------- data
work=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/litewrite-bench.XXXXXX")
cleanup() { if [[ $KEEP == 1 ]]; then log "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
results=$work/results.tsv
: >"$results"

log "== generating $ROWS rows (NDJSON + CSV) in $work =="
"${HARNESS[@]}" gen "$ROWS" "$work/rows.ndjson" "$work/rows.csv"
log "   $(du -h "$work/rows.ndjson" | cut -f1) NDJSON, $(du -h "$work/rows.csv" | cut -f1) CSV"

failures=0

# selected KIND NAME  -- true unless ONLY is set and "KIND: NAME" does not match it.
selected() { [[ -z $ONLY || "$1: $2" =~ $ONLY ]]; }

# bulk NAME CMD...   -- declare a bulk contender. run_bulk (below the list)
#                       runs them all RUNS times, round-robin, each run on a
#                       fresh database {db}; table "rows" must then hold ROWS rows.
bulk() {
    local name=$1; shift
    selected bulk "$name" || return 0
    "${HARNESS[@]}" bulk-add "$work/bulk.jsonl" "$name" -- "$@"
}
run_bulk() {
    [[ -s $work/bulk.jsonl ]] || return 0
    log "== bulk insert: $ROWS rows x $RUNS runs (round-robin) =="
    "${HARNESS[@]}" bulk-run "$work/bulk.jsonl" "$results" "$work" "$RUNS" "$ROWS" rows || failures=$((failures + 1))
}

# single NAME CMD...  -- declare a single-row contender. run_single (below
#                        the list) runs them all round-robin: run i of each,
#                        then run i+1 of each. One untimed run creates table
#                        "one" in {db}, then SINGLE_N timed runs, {i} = 1..SINGLE_N.
single() {
    local name=$1; shift
    selected single "$name" || return 0
    "${HARNESS[@]}" single-add "$work/single.jsonl" "$name" -- "$@"
}

# single_setup NAME SQL CMD...  -- like single, SQL run on the fresh database first.
single_setup() {
    local name=$1 setup=$2; shift 2
    selected single "$name" || return 0
    "${HARNESS[@]}" single-add "$work/single.jsonl" "$name" --setup "$setup" -- "$@"
}
run_single() {
    [[ -s $work/single.jsonl ]] || return 0
    log "== single-row insert: $SINGLE_N runs each (round-robin) =="
    "${HARNESS[@]}" single-run "$work/single.jsonl" "$results" "$work" "$SINGLE_N" || failures=$((failures + 1))
}

# mutate NAME EXPECT CMD...  -- declare an update/delete contender: each run
#                              gets a copy of the bulk-inserted table ({db});
#                              table "rows" must then hold EXPECT rows.
mutate() {
    local name=$1 expect=$2; shift 2
    selected mutate "$name" || return 0
    "${HARNESS[@]}" bulk-add "$work/mutate.jsonl" "$name" --expect "$expect" -- "$@"
}
run_mutate() {
    [[ -s $work/mutate.jsonl ]] || return 0
    log "== update / delete --where: $RUNS runs each (round-robin) on copies of $ROWS rows =="
    local template=$work/template.db
    "$LITEWRITE" --config "$NO_WRAPPERS" insert "$template" rows "$work/rows.ndjson" --nl
    "${HARNESS[@]}" bulk-run "$work/mutate.jsonl" "$results" "$work" "$RUNS" "$ROWS" rows \
        --template "$template" --kind mutate || failures=$((failures + 1))
}

# single_stdin NAME TEMPLATE CMD...  -- like single, TEMPLATE ({i} replaced) on stdin.
single_stdin() {
    local name=$1 template=$2; shift 2
    selected single "$name" || return 0
    "${HARNESS[@]}" single-add "$work/single.jsonl" "$name" --stdin "$template" -- "$@"
}

# peak_rss NAME CMD...  -- peak resident memory of one run on a fresh {db}.
peak_rss() {
    local name=$1; shift
    selected rss "$name" || return 0
    local db=$work/rss.db kib
    rm -f "$db" "$db-wal" "$db-shm"
    local argv=("${@//\{db\}/$db}")
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -f %M -o "$work/rss.txt" "${argv[@]}" >/dev/null </dev/null || { log "   $name: run failed"; return 0; }
        kib=$(tail -n1 "$work/rss.txt")
    else
        kib=$("${HARNESS[@]}" rss -- "${argv[@]}") || { log "   $name: run failed"; return 0; }
    fi
    local got
    got=$(sqlite3 "$db" 'SELECT count(*) FROM rows' 2>/dev/null || echo "no table")
    rm -f "$db" "$db-wal" "$db-shm"
    if [[ $got != "$ROWS" ]]; then log "   $name: left $got rows, expected $ROWS; not recorded"; return 0; fi
    printf 'rss\t%s\t\tok\tpeak RSS %s MiB (%s KiB)\n' "peak RSS: $name" "$((kib / 1024))" "$kib" >>"$results"
}

# ---------------------------------------------------------------- contenders
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
bulk "litewrite"        "$LITEWRITE" --config "$NO_WRAPPERS" insert {db} rows "$work/rows.ndjson" --nl
bulk "rusqlite loop"    "$RUSQLITE_LOOP" {db} "$work/rows.ndjson" rows
bulk "sqlite3 .import"  sqlite3 {db} ".mode csv" ".import $work/rows.csv rows"
bulk "sqlite-utils"     "$SQLITE_UTILS" insert {db} rows "$work/rows.ndjson" --nl
bulk "litewrite + audit-log + change-group" "$LITEWRITE" --config "$WRAPPED" insert {db} rows "$work/rows.ndjson" --nl
bulk "SQLite alone (rows made in memory)" "$RUSQLITE_LOOP" --floor {db} "$ROWS" rows
run_bulk

# update changes every other row; delete removes every third.
mutate "update --where, no wrappers" "$ROWS" "$LITEWRITE" --config "$NO_WRAPPERS" update {db} rows --where "id % 2 = 0" name=changed
mutate "update --where, audit-log + change-group" "$ROWS" "$LITEWRITE" --config "$WRAPPED" update {db} rows --where "id % 2 = 0" name=changed
mutate "delete --where, no wrappers" "$((ROWS - ROWS / 3))" "$LITEWRITE" --config "$NO_WRAPPERS" delete {db} rows --where "id % 3 = 0"
mutate "delete --where, audit-log + change-group" "$((ROWS - ROWS / 3))" "$LITEWRITE" --config "$WRAPPED" delete {db} rows --where "id % 3 = 0"
run_mutate

single       "litewrite"     "$LITEWRITE" --config "$NO_WRAPPERS" insert {db} one 'id:={i}' name=x
single_stdin "sqlite-utils"  '{"id": {i}, "name": "x"}' "$SQLITE_UTILS" insert {db} one -
single       "litewrite + audit-log + change-group" "$LITEWRITE" --config "$WRAPPED" insert {db} one 'id:={i}' name=x
# The transaction runs with the configuration `tx begin` found: the default
# chain, the same as $WRAPPED.
if selected single "litewrite tx exec (in an open transaction)"; then
    "${HARNESS[@]}" single-add "$work/single.jsonl" "litewrite tx exec (in an open transaction)" --tx "$LITEWRITE" -- \
        "$LITEWRITE" tx exec {tx} "insert into one (id, name) values ({i}, 'x')"
fi
single       "sqlite3 shell (reference)" sqlite3 {db} "CREATE TABLE IF NOT EXISTS one (id INTEGER, name TEXT); INSERT INTO one VALUES ({i}, 'x');"
# The same insert by the sqlite3 shell into a WAL database like the ones
# litewrite creates (both checkpoint when they close, synchronous=FULL).
single_setup "sqlite3 shell, same WAL database" "PRAGMA journal_mode = WAL;" \
    sqlite3 {db} "CREATE TABLE IF NOT EXISTS one (id INTEGER, name TEXT); INSERT INTO one VALUES ({i}, 'x');"
# A realistic schema: 199 more tables, each with an index.
tables200="PRAGMA journal_mode = WAL;"
for t in $(seq 1 199); do
    tables200+=" CREATE TABLE t$t (id INTEGER PRIMARY KEY, name TEXT, score REAL, created TEXT); CREATE INDEX t${t}_name ON t$t (name);"
done
single_setup "litewrite + audit-log + change-group, 200 tables" "$tables200" \
    "$LITEWRITE" --config "$WRAPPED" insert {db} one 'id:={i}' name=x
run_single

log "== peak memory =="
peak_rss "litewrite bulk"     "$LITEWRITE" --config "$NO_WRAPPERS" insert {db} rows "$work/rows.ndjson" --nl
peak_rss "litewrite bulk, JSON array, audit-log + change-group" "$LITEWRITE" --config "$WRAPPED" insert {db} rows "$work/rows.json"
peak_rss "rusqlite loop bulk" "$RUSQLITE_LOOP" {db} "$work/rows.ndjson" rows

# ---------------------------------------------------------------- report
echo
echo "litewrite benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc $(nproc), $(uname -m), $(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo 'unknown CPU')"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (the benchmark itself uses ~1 core)"
echo "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1), sqlite-utils $("$SQLITE_UTILS" --version | awk '{print $NF}'), rows=$ROWS runs=$RUNS single_n=$SINGLE_N"
"${HARNESS[@]}" report "$results" "$ROWS"

if ((failures > 0)); then
    log "$failures contender(s) failed; see above"
    exit 1
fi
