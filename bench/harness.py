#!/usr/bin/env python3
"""Timing harness for bench/run.sh (standard library only).

Subcommands:
  gen     ROWS NDJSON CSV          write the deterministic test rows
  bulk-add SPECS NAME [--expect N] -- CMD...
          declare a contender (appends to SPECS); --expect: the rows TABLE
          must hold after it (default ROWS)
  bulk-run SPECS RESULTS DIR RUNS ROWS TABLE [--template DB --kind KIND]
          run each declared CMD RUNS times, round-robin, each run on a fresh
          database ({db} in CMD; a copy of DB with --template), check TABLE
          then holds the rows expected, record the median wall time (and the
          database's size, for bulk inserts)
  single-add SPECS NAME [--stdin TEMPLATE] [--setup SQL] [--tx BIN] -- CMD...
          declare a single-row contender (appends to SPECS)
  single-run SPECS RESULTS DIR N
          run the declared contenders round-robin on a database each: one
          untimed run ({i}=0) creates the table, then N timed runs with
          {i}=1..N; record each one's median latency. --setup runs SQL on
          the fresh database first (more tables, WAL mode); --tx makes the
          timed runs `tx exec` round trips in one transaction ({tx} in CMD)
  rss     -- CMD...                run CMD once, print the child's peak RSS in KiB
  report  RESULTS ROWS             print the report and the target PASS/MISS lines

RESULTS is a TSV file: kind, name, median seconds, status, detail.
"""

import datetime
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret",
               "Linus", "Frances", "Dennis", "Radia", "John", "Sophie", "Niklaus", "Hedy"]


# ---------------------------------------------------------------- generation

def gen(rows, ndjson_path, csv_path):
    base = datetime.datetime(2020, 1, 1)
    with open(ndjson_path, "w") as nd, open(csv_path, "w") as cs:
        cs.write("id,name,email,score,active,created\n")
        nd_lines, cs_lines = [], []
        for i in range(1, rows + 1):
            first = FIRST_NAMES[i % len(FIRST_NAMES)]
            name = f"{first} {i * 2654435761 % 100000:05d}"
            email = f"{first.lower()}.{i}@example.com"
            score = f"{(i * 7919 % 1000003) / 1000:.3f}"  # always has a decimal point
            active = i % 3 != 0
            created = (base + datetime.timedelta(seconds=i * 37)).strftime("%Y-%m-%dT%H:%M:%SZ")
            nd_lines.append(
                f'{{"id": {i}, "name": "{name}", "email": "{email}", "score": {score}, '
                f'"active": {"true" if active else "false"}, "created": "{created}"}}\n')
            cs_lines.append(f"{i},{name},{email},{score},{int(active)},{created}\n")
            if len(nd_lines) >= 10000:
                nd.writelines(nd_lines)
                cs.writelines(cs_lines)
                nd_lines, cs_lines = [], []
        nd.writelines(nd_lines)
        cs.writelines(cs_lines)
    # The same rows as one JSON array, for the memory check of array input.
    with open(ndjson_path) as nd, open(os.path.splitext(ndjson_path)[0] + ".json", "w") as arr:
        arr.write("[\n")
        for n, line in enumerate(nd):
            arr.write(("" if n == 0 else ",\n") + line.rstrip("\n"))
        arr.write("\n]\n")


# ------------------------------------------------------------------- running

def remove_db(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def run_timed(cmd, stdin_bytes=None):
    """Run cmd, return (seconds, returncode, stderr tail)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, input=stdin_bytes, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE,
                           stdin=None if stdin_bytes is not None else subprocess.DEVNULL)
    except OSError as e:
        return 0.0, 127, f"{cmd[0]}: {e.strerror}"
    dt = time.perf_counter() - t0
    return dt, p.returncode, p.stderr.decode(errors="replace").strip()[-400:]


def record(results, kind, name, median, status, detail):
    detail = " ".join(detail.split())  # one line, no tabs
    with open(results, "a") as f:
        f.write(f"{kind}\t{name}\t{median if median is not None else ''}\t{status}\t{detail}\n")


def count_rows(db, table):
    con = sqlite3.connect(db)
    try:
        return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def bulk_add(specs, name, cmd, expect=None):
    """Declare a bulk contender; bulk-run runs them all."""
    with open(specs, "a") as f:
        f.write(json.dumps({"name": name, "cmd": cmd, "expect": expect}) + "\n")
    return 0


def db_size(path):
    return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))


def bulk_run(specs, results, workdir, runs, rows, table, template=None, kind="bulk"):
    """Run every declared bulk contender RUNS times, round-robin (run 1 of each,
    then run 2 of each, ...) so that a change in machine load during the
    benchmark hits every contender alike. Each run gets a fresh database (a
    copy of the template, when there is one)."""
    contenders = []
    if os.path.exists(specs):
        with open(specs) as f:
            contenders = [json.loads(line) for line in f if line.strip()]
    times = {c["name"]: [] for c in contenders}
    failed = set()
    for n in range(runs):
        for c in contenders:
            name = c["name"]
            if name in failed:
                continue
            slug = "".join(ch if ch.isalnum() else "_" for ch in name)
            db = os.path.join(workdir, f"{kind}_{slug}.db")
            remove_db(db)
            if template is not None:
                shutil.copyfile(template, db)
            argv = [a.replace("{db}", db) for a in c["cmd"]]
            dt, rc, err = run_timed(argv)
            if rc != 0:
                print(f"  {name}: run {n + 1} FAILED (exit {rc}): {err}", file=sys.stderr)
                record(results, kind, name, None, "failed", f"exit {rc}: {err}")
                failed.add(name)
                remove_db(db)
                continue
            try:
                got = count_rows(db, table)
            except sqlite3.Error as e:
                got = f"error ({e})"
            expect = c.get("expect") if c.get("expect") is not None else rows
            if kind == "bulk" and n == runs - 1 and got == expect:
                record(results, "size", name, None, "ok", f"{db_size(db)} bytes")
            remove_db(db)
            if got != expect:
                print(f"  {name}: run {n + 1} left {got} rows in {table!r}, expected {expect}", file=sys.stderr)
                record(results, kind, name, None, "failed", f"wrong row count {got}, expected {expect}")
                failed.add(name)
                continue
            times[name].append(dt)
            print(f"  {name}: run {n + 1}/{runs}: {dt:.3f} s", file=sys.stderr)
    for c in contenders:
        name = c["name"]
        if name in failed or not times[name]:
            continue
        ts = times[name]
        record(results, kind, name, statistics.median(ts), "ok",
               f"runs: {', '.join(f'{t:.3f}' for t in ts)}")
    return 1 if failed else 0


def single_add(specs, name, cmd, stdin_template=None, tx_bin=None, setup=None):
    """Declare a single-row contender (appends one JSON line to specs)."""
    with open(specs, "a") as f:
        f.write(json.dumps({"name": name, "cmd": cmd, "stdin": stdin_template,
                            "tx": tx_bin, "setup": setup}) + "\n")
    return 0


def single_run(specs, results, workdir, n):
    """Run every declared single-row contender, round-robin: run i of each,
    then run i+1 of each, so that load from elsewhere hits all alike. Each
    has its own database: run 0 (untimed) creates the table, runs 1..n are
    timed. With tx (a litewrite binary): run 0 is a plain insert, then one
    transaction is begun ({tx} in CMD) and committed after the timed runs,
    so each timed run is one `tx exec` round trip. With setup: SQL run on
    the fresh database before run 0."""
    with open(specs) as f:
        contenders = [json.loads(line) for line in f if line.strip()]
    for c in contenders:
        slug = "".join(ch if ch.isalnum() else "_" for ch in c["name"])
        c["db"] = os.path.join(workdir, f"single_{slug}.db")
        c["times"] = []
        c["tx_id"] = None
        c["failed"] = False
        remove_db(c["db"])
        if c["setup"]:
            con = sqlite3.connect(c["db"])
            con.executescript(c["setup"])
            con.close()
    failures = 0
    for i in range(0, n + 1):
        for c in contenders:
            if c["failed"]:
                continue
            db, tx_bin = c["db"], c["tx"]
            if tx_bin is not None and i == 0:
                argv = [tx_bin, "insert", db, "one", "id:=0", "name=x"]
            else:
                argv = [a.replace("{db}", db).replace("{i}", str(i)).replace("{tx}", c["tx_id"] or "")
                        for a in c["cmd"]]
            data = c["stdin"].replace("{i}", str(i)).encode() if c["stdin"] is not None else None
            dt, rc, err = run_timed(argv, data)
            if rc != 0:
                print(f"  {c['name']}: run {i} FAILED (exit {rc}): {err}", file=sys.stderr)
                record(results, "single", c["name"], None, "failed", f"exit {rc}: {err}")
                c["failed"] = True
                failures += 1
                continue
            if i > 0:  # run 0 creates the database and table
                c["times"].append(dt)
            elif tx_bin is not None:
                c["tx_id"] = subprocess.run([tx_bin, "tx", "begin", db, "--write", "one"], check=True,
                                            capture_output=True, text=True).stdout.strip()
    for c in contenders:
        if c["tx_id"] is not None:
            subprocess.run([c["tx"], "tx", "commit", c["tx_id"]], check=True)
        if c["failed"]:
            remove_db(c["db"])
            continue
        try:
            got = count_rows(c["db"], "one")
        except sqlite3.Error as e:
            got = f"error ({e})"
        remove_db(c["db"])
        if got != n + 1:
            record(results, "single", c["name"], None, "failed", f"wrong row count {got}, expected {n + 1}")
            failures += 1
            continue
        times = c["times"]
        med = statistics.median(times)
        print(f"  {c['name']}: median {med * 1000:.2f} ms over {n} runs "
              f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f})", file=sys.stderr)
        record(results, "single", c["name"], med, "ok",
               f"min {min(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms, n={n}")
    return 1 if failures else 0


def rss(cmd):
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        return p.returncode
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # KiB on Linux
    return 0


# ------------------------------------------------------------------- report

def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cpus (nproc {len(os.sched_getaffinity(0))}), {platform.machine()}, {model}"


WRAPPED = "litewrite + audit-log + change-group"
TX_EXEC = "litewrite tx exec (in an open transaction)"
FLOOR = "SQLite alone (rows made in memory)"
WRAPPED_200 = "litewrite + audit-log + change-group, 200 tables"
SHELL_WAL = "sqlite3 shell, same WAL database"


def report(results, rows):
    entries = []
    with open(results) as f:
        for line in f:
            kind, name, med, status, detail = line.rstrip("\n").split("\t", 4)
            entries.append((kind, name, float(med) if med else None, status, detail))

    bulk_rows = [e for e in entries if e[0] == "bulk"]
    single_rows = [e for e in entries if e[0] == "single"]
    mutate_rows = [e for e in entries if e[0] == "mutate"]
    extra = [e for e in entries if e[0] not in ("bulk", "single", "mutate")]

    def median_of(kind, name):
        for e in entries:
            if e[0] == kind and e[1] == name and e[3] == "ok":
                return e[2]
        return None

    lw = median_of("bulk", "litewrite")
    noisy = []

    def ran(kind, name):
        return any(e[0] == kind and e[1] == name for e in entries)

    print()
    print(f"== bulk insert: {rows} rows, median wall time ==")
    header = f"{'contender':<34} {'median s':>9} {'rows/s':>12} {'spread':>7}  litewrite vs this"
    print(header)
    print("-" * len(header))
    for kind, name, med, status, detail in bulk_rows:
        if med is None:
            print(f"{name:<34} {'FAILED':>9} {'-':>12} {'-':>7}  {detail[:60]}")
            continue
        runs = [float(x) for x in detail.split(":", 1)[1].split(",")] if detail.startswith("runs:") else [med]
        spread = (max(runs) - min(runs)) / med * 100 if med > 0 else 0.0
        if spread > 20:
            noisy.append(name)
        rate = rows / med if med > 0 else float("inf")
        if name == "litewrite":
            cmp = "(reference)"
        elif lw is None:
            cmp = "n/a (litewrite did not run)"
        elif name.startswith("rusqlite"):
            cmp = f"{med / lw * 100:.1f}% of its throughput"
        else:
            cmp = f"{med / lw:.2f}x faster" if med >= lw else f"{lw / med:.2f}x slower"
        print(f"{name:<34} {med:>9.3f} {rate:>12,.0f} {spread:>6.0f}%  {cmp}")
    print("(spread: (slowest - fastest) / median over the runs)")
    if noisy:
        print(f"WARNING: runs of {', '.join(noisy)} differ by more than 20%: the machine was busy? "
              "Re-run on a quiet machine before trusting the ratios.")

    if single_rows:
        print()
        print("== single-row insert, whole process, median latency ==")
        for kind, name, med, status, detail in single_rows:
            shown = f"{med * 1000:8.2f} ms" if med is not None else "  FAILED   "
            print(f"{name:<34} {shown}   {detail[:70]}")

    if mutate_rows:
        print()
        print("== update / delete --where on the bulk table, median wall time ==")
        for kind, name, med, status, detail in mutate_rows:
            shown = f"{med:8.3f} s" if med is not None else "  FAILED  "
            print(f"{name:<52} {shown}   {detail[:60]}")

    if extra:
        print()
        for kind, name, med, status, detail in extra:
            print(f"{kind + ': ' + name:<52} {detail}")

    print()
    print("== targets ==")

    def target(ok, text, figure):
        state = "PASS" if ok else "MISS"
        print(f"{state}  {text}: {figure}")

    rl = median_of("bulk", "rusqlite loop")
    s3 = median_of("bulk", "sqlite3 .import")
    su = median_of("bulk", "sqlite-utils")
    lw1 = median_of("single", "litewrite")
    if not ran("bulk", "litewrite"):
        print("n/a   bulk targets: litewrite bulk was not run")
    elif lw is None:
        print("MISS  every bulk target: litewrite failed")
    else:
        if rl is not None:
            target(rl / lw >= 0.80, "litewrite >= 80% of the rusqlite loop's throughput",
                   f"{rl / lw * 100:.1f}%")
        else:
            print("n/a   litewrite >= 80% of the rusqlite loop: the loop did not run")
        if s3 is not None:
            target(lw < s3, "litewrite faster than sqlite3 .import",
                   f"{lw:.3f} s vs {s3:.3f} s ({s3 / lw:.2f}x)")
        else:
            print("n/a   litewrite faster than sqlite3 .import: sqlite3 did not run")
        if su is not None:
            target(su / lw >= 20, "litewrite >= 20x sqlite-utils bulk insert",
                   f"{su / lw:.1f}x")
        else:
            print("n/a   litewrite >= 20x sqlite-utils: sqlite-utils did not run")
    if not ran("single", "litewrite"):
        print("n/a   single-row insert < 5 ms: litewrite single was not run")
    elif lw1 is None:
        print("MISS  single-row insert < 5 ms: litewrite failed")
    else:
        target(lw1 < 0.005, "litewrite single-row insert median < 5 ms", f"{lw1 * 1000:.2f} ms")
    # The wrappers (audit-log + change-group), the floor, and transactions.
    floor = median_of("bulk", FLOOR)
    if lw is not None and floor is not None:
        target(lw / floor <= 1.25, "litewrite bulk (no wrappers) <= 1.25x SQLite alone (the floor)",
               f"{lw:.3f} s vs {floor:.3f} s ({lw / floor:.2f}x)")
    lww = median_of("bulk", WRAPPED)
    if lw is not None and lww is not None:
        target(lww / lw <= 1.5, "bulk insert with audit-log + change-group <= 1.5x without",
               f"{lww:.3f} s vs {lw:.3f} s ({lww / lw:.2f}x)")

    def size_of(name):
        for e in entries:
            if e[0] == "size" and e[1] == name:
                return int(e[4].split()[0])
        return None

    sw, su_ = size_of(WRAPPED), size_of("litewrite")
    if sw is not None and su_ is not None:
        target(sw / su_ <= 1.3, "database size after the wrapped bulk insert <= 1.3x unwrapped",
               f"{sw / 1e6:.1f} MB vs {su_ / 1e6:.1f} MB ({sw / su_:.2f}x)")
    for what in ("update", "delete"):
        plain = median_of("mutate", f"{what} --where, no wrappers")
        wrapped = median_of("mutate", f"{what} --where, audit-log + change-group")
        if plain is not None and wrapped is not None:
            target(wrapped / plain <= 3, f"{what} --where with audit-log + change-group <= 3x without",
                   f"{wrapped:.3f} s vs {plain:.3f} s ({wrapped / plain:.2f}x)")
    lw1w = median_of("single", WRAPPED)
    if lw1w is not None:
        target(lw1w < 0.005, "single-row insert with audit-log + change-group < 5 ms", f"{lw1w * 1000:.2f} ms")
    wide = median_of("single", WRAPPED_200)
    if wide is not None and lw1w is not None:
        target(wide <= 1.2 * lw1w, "single-row insert (wrapped) into a 200-table database within 1.2x of 1 table",
               f"{wide * 1000:.2f} ms vs {lw1w * 1000:.2f} ms ({wide / lw1w:.2f}x)")
    shell = median_of("single", SHELL_WAL)
    if shell is not None and lw1w is not None:
        target(lw1w <= shell, "single-row insert (wrapped) <= 1.0x the sqlite3 shell on the same (WAL) database",
               f"{lw1w * 1000:.2f} ms vs {shell * 1000:.2f} ms ({lw1w / shell:.2f}x)")
    for kind, name, med, status, detail in entries:
        if kind == "rss" and "JSON array" in name and "(" in detail:
            kib = int(detail.rsplit("(", 1)[1].split()[0])
            target(kib < 64 * 1024, f"{name.removeprefix('peak RSS: ')} peak RSS < 64 MiB",
                   f"{kib / 1024:.1f} MiB")
    txe = median_of("single", TX_EXEC)
    base = lw1w if lw1w is not None else lw1
    if txe is not None and base is not None:
        target(txe <= base, "tx exec round trip <= 1x a plain single-row insert",
               f"{txe * 1000:.2f} ms vs {base * 1000:.2f} ms ({txe / base:.2f}x)")


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    sub, args = argv[0], argv[1:]
    cmd = []
    if "--" in args:
        k = args.index("--")
        args, cmd = args[:k], args[k + 1:]
    if sub == "gen":
        gen(int(args[0]), args[1], args[2])
        return 0
    def option(flag):
        nonlocal args
        if flag not in args:
            return None
        k = args.index(flag)
        value = args[k + 1]
        args = args[:k] + args[k + 2:]
        return value

    if sub == "bulk-add":
        expect = option("--expect")
        specs, name = args
        return bulk_add(specs, name, cmd, int(expect) if expect is not None else None)
    if sub == "bulk-run":
        template = option("--template")
        kind = option("--kind") or "bulk"
        specs, results, workdir, runs, rows, table = args
        return bulk_run(specs, results, workdir, int(runs), int(rows), table, template, kind)
    if sub == "single-add":
        stdin_template = option("--stdin")
        tx_bin = option("--tx")
        setup = option("--setup")
        specs, name = args
        return single_add(specs, name, cmd, stdin_template, tx_bin, setup)
    if sub == "single-run":
        specs, results, workdir, n = args
        return single_run(specs, results, workdir, int(n))
    if sub == "rss":
        return rss(cmd)
    if sub == "machine":
        print(machine())
        return 0
    if sub == "report":
        report(args[0], int(args[1]))
        return 0
    print(f"unknown subcommand {sub!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
