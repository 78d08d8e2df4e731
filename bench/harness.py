#!/usr/bin/env python3
"""Timing harness for bench/run.sh (standard library only).

Subcommands:
  gen     ROWS NDJSON CSV          write the deterministic test rows
  bulk-add SPECS NAME -- CMD...   declare a bulk contender (appends to SPECS)
  bulk-run SPECS RESULTS DIR RUNS ROWS TABLE
          run each declared CMD RUNS times, round-robin, each run on a fresh
          database ({db} in CMD), check TABLE then holds ROWS rows, record
          the median wall time
  single  RESULTS NAME DIR N [--stdin TEMPLATE] -- CMD...
          one untimed run ({i}=0) creates the table, then N timed runs with
          {i}=1..N on the same database; record the median latency
  rss     -- CMD...                run CMD once, print the child's peak RSS in KiB
  report  RESULTS ROWS             print the report and the target PASS/MISS lines

RESULTS is a TSV file: kind, name, median seconds, status, detail.
"""

import datetime
import json
import os
import platform
import resource
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


def bulk_add(specs, name, cmd):
    """Declare a bulk contender; bulk-run runs them all."""
    with open(specs, "a") as f:
        f.write(json.dumps({"name": name, "cmd": cmd}) + "\n")
    return 0


def bulk_run(specs, results, workdir, runs, rows, table):
    """Run every declared bulk contender RUNS times, round-robin (run 1 of each,
    then run 2 of each, ...) so that a change in machine load during the
    benchmark hits every contender alike. Each run gets a fresh database."""
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
            db = os.path.join(workdir, f"bulk_{slug}.db")
            remove_db(db)
            argv = [a.replace("{db}", db) for a in c["cmd"]]
            dt, rc, err = run_timed(argv)
            if rc != 0:
                print(f"  {name}: run {n + 1} FAILED (exit {rc}): {err}", file=sys.stderr)
                record(results, "bulk", name, None, "failed", f"exit {rc}: {err}")
                failed.add(name)
                remove_db(db)
                continue
            try:
                got = count_rows(db, table)
            except sqlite3.Error as e:
                got = f"error ({e})"
            remove_db(db)
            if got != rows:
                print(f"  {name}: run {n + 1} left {got} rows in {table!r}, expected {rows}", file=sys.stderr)
                record(results, "bulk", name, None, "failed", f"wrong row count {got}, expected {rows}")
                failed.add(name)
                continue
            times[name].append(dt)
            print(f"  {name}: run {n + 1}/{runs}: {dt:.3f} s", file=sys.stderr)
    for c in contenders:
        name = c["name"]
        if name in failed or not times[name]:
            continue
        ts = times[name]
        record(results, "bulk", name, statistics.median(ts), "ok",
               f"runs: {', '.join(f'{t:.3f}' for t in ts)}")
    return 1 if failed else 0


def single(results, name, workdir, n, stdin_template, cmd, tx_bin=None):
    """With tx_bin (a litewrite binary): run 0 creates the table with a plain
    insert, then one transaction is begun ({tx} in CMD) and committed after
    the timed runs, so each timed run is one `tx exec` round trip."""
    slug = "".join(c if c.isalnum() else "_" for c in name)
    db = os.path.join(workdir, f"single_{slug}.db")
    remove_db(db)
    times = []
    tx = None
    for i in range(0, n + 1):
        if tx_bin is not None and i == 0:
            argv = [tx_bin, "insert", db, "one", "id:=0", "name=x"]
        else:
            argv = [a.replace("{db}", db).replace("{i}", str(i)).replace("{tx}", tx or "") for a in cmd]
        data = stdin_template.replace("{i}", str(i)).encode() if stdin_template is not None else None
        dt, rc, err = run_timed(argv, data)
        if rc != 0:
            print(f"  {name}: run {i} FAILED (exit {rc}): {err}", file=sys.stderr)
            record(results, "single", name, None, "failed", f"exit {rc}: {err}")
            remove_db(db)
            return 1
        if i > 0:  # run 0 creates the database and table
            times.append(dt)
        elif tx_bin is not None:
            tx = subprocess.run([tx_bin, "tx", "begin", db, "--write", "one"], check=True,
                                capture_output=True, text=True).stdout.strip()
    if tx is not None:
        subprocess.run([tx_bin, "tx", "commit", tx], check=True)
    try:
        got = count_rows(db, "one")
    except sqlite3.Error as e:
        got = f"error ({e})"
    remove_db(db)
    if got != n + 1:
        record(results, "single", name, None, "failed", f"wrong row count {got}, expected {n + 1}")
        return 1
    med = statistics.median(times)
    print(f"  {name}: median {med * 1000:.2f} ms over {n} runs "
          f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f})", file=sys.stderr)
    record(results, "single", name, med, "ok",
           f"min {min(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms, n={n}")
    return 0


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


def report(results, rows):
    entries = []
    with open(results) as f:
        for line in f:
            kind, name, med, status, detail = line.rstrip("\n").split("\t", 4)
            entries.append((kind, name, float(med) if med else None, status, detail))

    bulk_rows = [e for e in entries if e[0] == "bulk"]
    single_rows = [e for e in entries if e[0] == "single"]
    extra = [e for e in entries if e[0] not in ("bulk", "single")]

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

    if extra:
        print()
        for kind, name, med, status, detail in extra:
            print(f"{name:<34} {detail}")

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
    # The wrappers (audit-log + change-group) and transactions.
    lww = median_of("bulk", WRAPPED)
    if lw is not None and lww is not None:
        target(lww / lw <= 2.5, "bulk insert with audit-log + change-group <= 2.5x without",
               f"{lww:.3f} s vs {lw:.3f} s ({lww / lw:.2f}x)")
    lw1w = median_of("single", WRAPPED)
    if lw1w is not None:
        target(lw1w < 0.005, "single-row insert with audit-log + change-group < 5 ms", f"{lw1w * 1000:.2f} ms")
    for kind, name, med, status, detail in entries:
        if kind == "rss" and "JSON array" in name and "(" in detail:
            kib = int(detail.rsplit("(", 1)[1].split()[0])
            target(kib < 64 * 1024, f"{name.removeprefix('peak RSS: ')} peak RSS < 64 MiB",
                   f"{kib / 1024:.1f} MiB")
    txe = median_of("single", TX_EXEC)
    base = lw1w if lw1w is not None else lw1
    if txe is not None and base is not None:
        target(txe <= 2 * base, "tx exec round trip within 2x of a plain single-row insert",
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
    if sub == "bulk-add":
        specs, name = args
        return bulk_add(specs, name, cmd)
    if sub == "bulk-run":
        specs, results, workdir, runs, rows, table = args
        return bulk_run(specs, results, workdir, int(runs), int(rows), table)
    if sub == "single":
        stdin_template = None
        if "--stdin" in args:
            k = args.index("--stdin")
            stdin_template = args[k + 1]
            args = args[:k] + args[k + 2:]
        tx_bin = None
        if "--tx" in args:
            k = args.index("--tx")
            tx_bin = args[k + 1]
            args = args[:k] + args[k + 2:]
        results, name, workdir, n = args
        return single(results, name, workdir, int(n), stdin_template, cmd, tx_bin)
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
