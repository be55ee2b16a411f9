"""Benchmark: the adoption engine on generated activity, against DuckDB.

    .venv/bin/python bench/adoption_journey.py                          # 10,000 people, 1,000,000 events, SQLite
    .venv/bin/python bench/adoption_journey.py --people 10000 --events 5000000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/bascule_bench

Steps, each timed: people imported with `bascule import people` (not part of the figures);
a deterministic events file over a year (heavy-tailed activity: most people read, few
contribute); `bascule import events` (events/s, start-up included); `bascule adoption
rebuild`; the journey of everyone for one day (`journey_stages`, in process) and the
report (`adoption_report`); the cost of one action's ledger and rollup writes
(`event_record`, averaged over 1,000 calls in one transaction each); `bascule adoption
events` (the export). Then DuckDB computes the same stage counts with one straightforward
query over the exported CSV (and over a Parquet copy), and the script checks that both
give the same counts and prints Bascule's journey time as a ratio to DuckDB's.
Record results in docs/benchmarks.md.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_people import machine, write_csv  # noqa: E402 (the HR file of the people benchmark)

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv running this script (run it with PYTHONPATH=src from a worktree).
PYTHON = sys.executable
BASCULE = str(Path(sys.executable).parent / "bascule")

PARTICIPATION = ["visit", "read", "read", "read", "react", "follow", "join", "vote", "search", "attend", "learn"]
CONTRIBUTION = ["post", "comment", "comment", "answer"]
PROMOTION = ["share", "invite", "mention", "recognize", "accompany"]


def write_events(path: Path, people: int, events: int, last_day: date, days: int = 365) -> None:
    """A deterministic year of activity: each person has an activity weight (heavy tail),
    a first and sometimes a last active day; contributors and promoters are a minority."""
    rng = random.Random(20260331)
    first_day = last_day - timedelta(days=days - 1)
    weights, spans, profiles = [], [], []
    for _ in range(people):
        weights.append(rng.paretovariate(1.2))
        start = rng.randrange(days) if rng.random() < 0.4 else 0
        end = days - 1 if rng.random() < 0.7 else rng.randrange(start, days)
        spans.append((start, end))
        profiles.append(rng.choices([0, 1, 2], [0.80, 0.15, 0.05])[0])  # reader, contributor, promoter
    total = sum(weights)
    base = datetime(first_day.year, first_day.month, first_day.day)
    written = 0
    with path.open("w", encoding="utf-8") as file:
        file.write("person,occurred_at,kind,source,source_id\n")
        lines = []
        for number in range(people):
            count = max(1, round(events * weights[number] / total))
            if written + count > events:
                count = events - written
            if count <= 0:
                break
            start, end = spans[number]
            profile = profiles[number]
            external_id = f"E{number:06d}"
            file_lines = lines
            for _ in range(count):
                roll = rng.random()
                if profile and roll < (0.06 if profile == 1 else 0.10):
                    kind = rng.choice(CONTRIBUTION)
                elif profile == 2 and roll < 0.16:
                    kind = rng.choice(PROMOTION)
                elif roll > 0.995:
                    kind = "informed"
                else:
                    kind = rng.choice(PARTICIPATION)
                moment = base + timedelta(days=rng.randint(start, end), seconds=rng.randrange(86400))
                written += 1
                file_lines.append(f"{external_id},{moment.isoformat()}Z,{kind},bench,{written}\n")
            if len(lines) > 100_000:
                file.writelines(lines)
                lines.clear()
        file.writelines(lines)


IMPORT_IN_PROCESS = r"""
import json, os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 0")
    backend = cursor.fetchone()[0]
def server_cpu():
    # The database backend's CPU seconds (PostgreSQL on this machine), from /proc.
    try:
        fields = open(f"/proc/{backend}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
began, client, server = time.perf_counter(), os.times(), server_cpu()
call_command("import", "events", sys.argv[1])
after = os.times()
print(json.dumps({"seconds": time.perf_counter() - began, "server_cpu": server_cpu() - server,
                  "client_cpu": after.user + after.system - client.user - client.system}))
"""

IN_PROCESS = r"""
import json, time, sys
from datetime import date
import django
django.setup()
from django.db import transaction
from bascule.adoption.journey import journey_stages
from bascule.adoption.queries import adoption_report
from bascule.adoption.ledger import event_record
from bascule.people.models import Person
day = date.fromisoformat(sys.argv[1])
result = {}
began = time.perf_counter(); stages = journey_stages(day); result["journey_seconds"] = time.perf_counter() - began
counts = {}
for stage in stages.values():
    counts[stage.stage.value] = counts.get(stage.stage.value, 0) + 1
result["counts"] = counts
began = time.perf_counter(); adoption_report(day=day); result["report_seconds"] = time.perf_counter() - began
began = time.perf_counter(); adoption_report(day=day, by="site"); result["report_by_site_seconds"] = time.perf_counter() - began
people = list(Person.objects.order_by("?")[:1000])
# Inside one transaction, rolled back: what the ledger adds to an action's own transaction
# (the event, the daily rollup, the first/last active days), without the commit.
with transaction.atomic():
    durations = []
    for person in people:
        began = time.perf_counter()
        event_record(person=person, kind="comment")
        durations.append(time.perf_counter() - began)
    result["action_ms"] = sum(durations) / len(durations) * 1000
    durations.sort()
    result["action_p95_ms"] = durations[int(len(durations) * 0.95)] * 1000
    transaction.set_rollback(True)
print(json.dumps(result))
"""

DUCKDB_QUERY = """
WITH events AS (
    SELECT person, CAST(timezone('Europe/Paris', CAST(occurred_at AS TIMESTAMPTZ)) AS DATE) AS day, kind
    FROM {source}
), people AS (
    SELECT person,
        MIN(day) FILTER (WHERE kind <> 'informed' AND day <= DATE '{day}') AS first_active,
        COUNT(DISTINCT day) FILTER (WHERE kind <> 'informed' AND day BETWEEN DATE '{start}' AND DATE '{day}') AS active_days,
        COUNT(*) FILTER (WHERE kind IN ('post', 'comment', 'answer') AND day BETWEEN DATE '{start}' AND DATE '{day}') AS contributions,
        COUNT(*) FILTER (WHERE kind IN ('share', 'invite', 'mention', 'recognize', 'accompany')
                         AND day BETWEEN DATE '{start}' AND DATE '{day}') AS promotions
    FROM events GROUP BY person
)
SELECT CASE
    WHEN first_active IS NULL THEN 'information'
    WHEN active_days = 0 THEN 'disappointment'
    WHEN contributions >= 2 AND promotions >= 2 THEN 'promotion'
    WHEN contributions >= 2 THEN 'contribution'
    WHEN first_active >= DATE '{start}' THEN 'discovery'
    ELSE 'participation' END AS stage, COUNT(*)
FROM people GROUP BY 1
"""


def run(command, environment, *, show_progress=False, **kwargs):
    """Run ``command``; its standard error is shown as it comes with ``show_progress``."""
    began = time.perf_counter()
    result = subprocess.run(command, env=environment, stdout=subprocess.PIPE,
                            stderr=None if show_progress else subprocess.PIPE, text=True, **kwargs)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        sys.stderr.write(result.stdout + (result.stderr or ""))
        raise SystemExit(f"{' '.join(command[:3])} failed with exit status {result.returncode}")
    return seconds, result.stdout


STEPS = ("import", "again", "rebuild", "journey", "export", "duckdb")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--day", default="2026-10-31", help="The day evaluated, last day of the generated year.")
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder. Emptied first; "
                        "never dropped (with --keep-data it is left as it is at the end, for other benchmarks).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    parser.add_argument("--work-dir", help="Folder for the generated files (people-N.csv, events-NxM.csv), kept and "
                        "reused by later runs of the same size instead of being generated again.")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"Comma-separated steps to run, in this order: {','.join(STEPS)}. Without export, "
                        "DuckDB reads the generated events file (the same events, external ids instead of "
                        "analytics ids: the same stage counts).")
    arguments = parser.parse_args()
    steps = set(arguments.steps.split(","))
    if steps - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(steps - set(STEPS)))}")

    import duckdb

    day = date.fromisoformat(arguments.day)
    folder = Path(tempfile.mkdtemp(prefix="bascule-bench-adoption-"))
    files = Path(arguments.work_dir) if arguments.work_dir else folder
    files.mkdir(parents=True, exist_ok=True)
    environment = dict(
        os.environ,
        BASCULE_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="bascule.settings",
        BASCULE_EVENT_RETENTION_DAYS="0",
        TIME_ZONE="Europe/Paris",
    )
    environment.pop("DATABASE_URL", None)
    if arguments.database_url:
        environment["DATABASE_URL"] = arguments.database_url
    database = "PostgreSQL" if arguments.database_url else "SQLite"
    figures: dict = {"date": date.today().isoformat(), "machine": machine(), "database": database,
                     "people": arguments.people, "events": arguments.events}

    def load() -> str:
        return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())

    run([BASCULE, "migrate", "-v0"], environment)
    people_csv = files / f"people-{arguments.people}.csv"
    events_csv = files / f"events-{arguments.people}x{arguments.events}.csv"
    if not people_csv.exists():
        write_csv(people_csv, arguments.people)
    if not events_csv.exists():
        began = time.perf_counter()
        partial = events_csv.with_suffix(".tmp")
        write_events(partial, arguments.people, arguments.events, day)
        partial.rename(events_csv)
        print(f"events file written in {time.perf_counter() - began:.1f} s ({events_csv.stat().st_size / 1e6:.0f} MB)")
    if "import" in steps:
        if arguments.database_url:
            run([BASCULE, "flush", "--no-input"], environment)
        run([BASCULE, "import", "people", str(people_csv)], environment)
        print(load(), flush=True)
        _, output = run([PYTHON, "-c", IMPORT_IN_PROCESS, str(events_csv)], environment, show_progress=True)
        measured = json.loads(output.strip().splitlines()[-1])
        seconds = measured["seconds"]
        cpu = measured["server_cpu"] + measured["client_cpu"]
        figures["import_seconds"] = round(seconds, 1)
        figures["import_events_per_second"] = round(arguments.events / seconds)
        figures["import_cpu_seconds"] = {"server": round(measured["server_cpu"], 1),
                                         "client": round(measured["client_cpu"], 1)}
        figures["import_events_per_cpu_second"] = round(arguments.events / cpu) if cpu else None
        print(f"import events: {seconds:.1f} s, {arguments.events / seconds:,.0f} events/s; CPU: server "
              f"{measured['server_cpu']:.1f} s, client {measured['client_cpu']:.1f} s; {load()}", flush=True)
    if "again" in steps:
        _, output = run([PYTHON, "-c", IMPORT_IN_PROCESS, str(events_csv)], environment, show_progress=True)
        measured = json.loads(output.strip().splitlines()[-1])
        figures["import_again_seconds"] = round(measured["seconds"], 1)
        figures["import_again_cpu_seconds"] = round(measured["server_cpu"] + measured["client_cpu"], 1)
        print(f"import the same file again (all skipped): {measured['seconds']:.1f} s; {load()}", flush=True)

    if "rebuild" in steps:
        seconds, output = run([BASCULE, "adoption", "rebuild"], environment)
        figures["rebuild_seconds"] = round(seconds, 1)
        print(f"rebuild: {seconds:.1f} s — {output.strip()}; {load()}", flush=True)

    measured = None
    if "journey" in steps:
        _, output = run([PYTHON, "-c", IN_PROCESS, day.isoformat()], environment)
        measured = json.loads(output.strip().splitlines()[-1])
        figures.update({key: round(value, 3) for key, value in measured.items() if key != "counts"})
        print(f"journey of everyone: {measured['journey_seconds']:.2f} s; report {measured['report_seconds']:.2f} s, "
              f"by site {measured['report_by_site_seconds']:.2f} s; one action {measured['action_ms']:.2f} ms "
              f"(p95 {measured['action_p95_ms']:.2f} ms); {load()}", flush=True)

    exported = folder / "export.csv"
    if "export" in steps:
        with exported.open("w") as file:
            began = time.perf_counter()
            result = subprocess.run([BASCULE, "adoption", "events", "--format", "csv"], env=environment, stdout=file)
            figures["export_seconds"] = round(time.perf_counter() - began, 1)
        assert result.returncode == 0
        print(f"export: {figures['export_seconds']} s; {load()}", flush=True)

    same = True
    if "duckdb" in steps:
        start = day - timedelta(days=27)
        connection = duckdb.connect()
        connection.execute("SET TimeZone = 'Europe/Paris'")
        if "export" in steps:
            csv_source = (
                f"read_csv('{exported}', header = true, "
                "columns = {'person': 'VARCHAR', 'occurred_at': 'VARCHAR', 'kind': 'VARCHAR'})"
            )
        else:
            figures["duckdb_reads"] = "the generated events file"
            csv_source = (
                f"read_csv('{events_csv}', header = true, columns = {{'person': 'VARCHAR', "
                "'occurred_at': 'VARCHAR', 'kind': 'VARCHAR', 'source': 'VARCHAR', 'source_id': 'VARCHAR'})"
            )
        began = time.perf_counter()
        duck = dict(connection.execute(DUCKDB_QUERY.format(source=csv_source, day=day, start=start)).fetchall())
        figures["duckdb_csv_seconds"] = round(time.perf_counter() - began, 3)
        parquet = folder / "events.parquet"
        connection.execute(f"COPY (SELECT person, occurred_at, kind FROM {csv_source}) TO '{parquet}' (FORMAT parquet)")
        began = time.perf_counter()
        duck_parquet = dict(connection.execute(
            DUCKDB_QUERY.format(source=f"read_parquet('{parquet}')", day=day, start=start)).fetchall())
        figures["duckdb_parquet_seconds"] = round(time.perf_counter() - began, 3)
        # People without any event are in information for Bascule, absent from the events.
        duck["information"] = duck.get("information", 0) + arguments.people - sum(duck.values())
        duck_parquet["information"] = duck_parquet.get("information", 0) + arguments.people - sum(duck_parquet.values())
        print(f"DuckDB: {figures['duckdb_csv_seconds']} s (CSV), {figures['duckdb_parquet_seconds']} s (Parquet); "
              f"{load()}", flush=True)
        if measured is not None:
            bascule_counts = measured["counts"]
            same = {k: v for k, v in duck.items() if v} == bascule_counts == {
                k: v for k, v in duck_parquet.items() if v}
            figures["same_counts"] = same
            figures["stage_counts"] = bascule_counts
            figures["ratio_to_duckdb_csv"] = round(measured["journey_seconds"] / figures["duckdb_csv_seconds"], 2)
            figures["ratio_to_duckdb_parquet"] = round(
                measured["journey_seconds"] / figures["duckdb_parquet_seconds"], 2)
            if not same:
                print(f"DIFFERENT COUNTS: DuckDB {duck}, Bascule {bascule_counts}", file=sys.stderr)
    print(json.dumps(figures, indent=2))
    if arguments.keep:
        print(f"kept: {folder}")
    else:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
