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
BASCULE = str(ROOT / ".venv" / "bin" / "bascule")
PYTHON = str(ROOT / ".venv" / "bin" / "python")

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
    began = time.perf_counter()
    for person in people:
        event_record(person=person, kind="comment")
    result["action_ms"] = (time.perf_counter() - began) / len(people) * 1000
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


def run(command, environment, **kwargs):
    began = time.perf_counter()
    result = subprocess.run(command, env=environment, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"{' '.join(command[:3])} failed with exit status {result.returncode}")
    return seconds, result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--day", default="2026-10-31", help="The day evaluated, last day of the generated year.")
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder. Emptied first.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    arguments = parser.parse_args()

    import duckdb

    day = date.fromisoformat(arguments.day)
    folder = Path(tempfile.mkdtemp(prefix="bascule-bench-adoption-"))
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

    run([BASCULE, "migrate", "-v0"], environment)
    if arguments.database_url:
        run([BASCULE, "flush", "--no-input"], environment)
    people_csv, events_csv = folder / "people.csv", folder / "events.csv"
    write_csv(people_csv, arguments.people)
    run([BASCULE, "import", "people", str(people_csv)], environment)
    began = time.perf_counter()
    write_events(events_csv, arguments.people, arguments.events, day)
    print(f"events file written in {time.perf_counter() - began:.1f} s ({events_csv.stat().st_size / 1e6:.0f} MB)")

    seconds, _ = run([BASCULE, "import", "events", str(events_csv)], environment)
    figures["import_seconds"] = round(seconds, 1)
    figures["import_events_per_second"] = round(arguments.events / seconds)
    print(f"import events: {seconds:.1f} s, {arguments.events / seconds:,.0f} events/s")
    seconds, _ = run([BASCULE, "import", "events", str(events_csv)], environment)
    figures["import_again_seconds"] = round(seconds, 1)
    print(f"import the same file again (all skipped): {seconds:.1f} s")

    seconds, output = run([BASCULE, "adoption", "rebuild"], environment)
    figures["rebuild_seconds"] = round(seconds, 1)
    print(f"rebuild: {seconds:.1f} s — {output.strip()}")

    _, output = run([PYTHON, "-c", IN_PROCESS, day.isoformat()], environment)
    measured = json.loads(output.strip().splitlines()[-1])
    figures.update({key: round(value, 3) for key, value in measured.items() if key != "counts"})
    print(f"journey of everyone: {measured['journey_seconds']:.2f} s; report {measured['report_seconds']:.2f} s, "
          f"by site {measured['report_by_site_seconds']:.2f} s; one action {measured['action_ms']:.2f} ms")

    exported = folder / "export.csv"
    with exported.open("w") as file:
        began = time.perf_counter()
        result = subprocess.run([BASCULE, "adoption", "events", "--format", "csv"], env=environment, stdout=file)
        figures["export_seconds"] = round(time.perf_counter() - began, 1)
    assert result.returncode == 0

    start = day - timedelta(days=27)
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'Europe/Paris'")
    csv_source = (
        f"read_csv('{exported}', header = true, "
        "columns = {'person': 'VARCHAR', 'occurred_at': 'VARCHAR', 'kind': 'VARCHAR'})"
    )
    began = time.perf_counter()
    duck = dict(connection.execute(DUCKDB_QUERY.format(source=csv_source, day=day, start=start)).fetchall())
    figures["duckdb_csv_seconds"] = round(time.perf_counter() - began, 3)
    parquet = folder / "events.parquet"
    connection.execute(f"COPY (SELECT * FROM {csv_source}) TO '{parquet}' (FORMAT parquet)")
    began = time.perf_counter()
    duck_parquet = dict(connection.execute(
        DUCKDB_QUERY.format(source=f"read_parquet('{parquet}')", day=day, start=start)).fetchall())
    figures["duckdb_parquet_seconds"] = round(time.perf_counter() - began, 3)
    # People without any event are in information for Bascule, absent from the events.
    duck["information"] = duck.get("information", 0) + arguments.people - sum(duck.values())
    duck_parquet["information"] = duck_parquet.get("information", 0) + arguments.people - sum(duck_parquet.values())
    bascule_counts = measured["counts"]
    figures["same_counts"] = {k: v for k, v in duck.items() if v} == bascule_counts == {
        k: v for k, v in duck_parquet.items() if v}
    figures["stage_counts"] = bascule_counts
    figures["ratio_to_duckdb_csv"] = round(measured["journey_seconds"] / figures["duckdb_csv_seconds"], 2)
    figures["ratio_to_duckdb_parquet"] = round(measured["journey_seconds"] / figures["duckdb_parquet_seconds"], 2)
    print(json.dumps(figures, indent=2))
    if not figures["same_counts"]:
        print(f"DIFFERENT COUNTS: DuckDB {duck}, Bascule {bascule_counts}", file=sys.stderr)
    if arguments.keep:
        print(f"kept: {folder}")
    else:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return 0 if figures["same_counts"] else 1


if __name__ == "__main__":
    sys.exit(main())
