"""Benchmark: `bascule import people` of a generated HR file on a fresh database.

    .venv/bin/python bench/import_people.py                 # 100,000 rows, SQLite in a temp dir
    .venv/bin/python bench/import_people.py --rows 20000
    .venv/bin/python bench/import_people.py --database-url postgres://…/bascule_bench

The file is deterministic (same rows for the same --rows): ~20 departments, ~40 sites in
5 countries, managers referencing rows anywhere in the file (often later ones), so the
loader resolves managers regardless of order. Only the import itself is timed; creating
the database and migrating are not. Record results in docs/benchmarks.md.
"""

import argparse
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASCULE = str(ROOT / ".venv" / "bin" / "bascule")

COUNTRIES = ["FR", "DE", "ES", "IT", "GB"]
DEPARTMENTS = [
    "Sales", "Marketing", "Finance", "IT", "HR", "Legal", "Purchasing", "Logistics", "R&D",
    "Production", "Quality", "Customer service", "Communication", "Strategy", "Audit",
    "Security", "Facilities", "Training", "Data", "Design",
]  # fmt: skip
FIRST_NAMES = ["Alice", "Bruno", "Chloé", "David", "Émilie", "François", "Giulia", "Hans", "Inès", "Jonas"]
LAST_NAMES = ["Martin", "Bernard", "Müller", "García", "Rossi", "Smith", "Dubois", "Weber", "López", "Bianchi"]
LANGUAGES = ["fr_FR", "de_DE", "es_ES", "it_IT", "en_GB"]


def write_csv(path: Path, rows: int) -> None:
    """A deterministic HR file of ``rows`` people: a tree of managers, shuffled."""
    rng = random.Random(20260401)
    order = list(range(rows))
    rng.shuffle(order)  # file position of each person, so managers come before or after
    start = date(2005, 1, 1)
    people = []
    for number in range(rows):
        # Person 0 leads; everyone else reports to someone with a smaller number (a tree,
        # about 8 reports each), so there is no cycle.
        manager = "" if number == 0 else f"E{(number - 1) // 8:06d}"
        country_index = number % len(COUNTRIES)
        first, last = FIRST_NAMES[number % 10], LAST_NAMES[(number // 10) % 10]
        people.append(
            [
                f"E{number:06d}",
                f"person{number}@example.com",
                first,
                f"{last}{number}",
                "",
                f"Job {number % 300}",
                DEPARTMENTS[number % len(DEPARTMENTS)],
                f"BU {number % 6}",
                f"Entity {COUNTRIES[country_index]}",
                COUNTRIES[country_index],
                f"Site {country_index}-{number % 8}",
                f"{LANGUAGES[country_index]},en_GB" if number % 3 == 0 else LANGUAGES[country_index],
                manager,
                (start + timedelta(days=number % 7000)).isoformat(),
            ]
        )
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            "external_id,email,first_name,last_name,display_name,title,department,business_unit,"
            "legal_entity,country,site,languages,manager_external_id,start_date".split(",")
        )
        for position in sorted(range(rows), key=order.__getitem__):
            writer.writerow(people[position])


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}){ram}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder.")
    parser.add_argument("--again", action="store_true", help="Import the same file a second time and time it too.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bascule-bench-"))
    environment = dict(os.environ, BASCULE_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="bascule.settings")
    environment.pop("DATABASE_URL", None)
    if arguments.database_url:
        environment["DATABASE_URL"] = arguments.database_url
    database = "PostgreSQL" if arguments.database_url else "SQLite"

    csv_path = folder / "people.csv"
    write_csv(csv_path, arguments.rows)
    subprocess.run([BASCULE, "migrate", "-v0"], env=environment, check=True)
    if arguments.database_url:
        # A reused PostgreSQL database must start empty of people for figures to compare.
        subprocess.run(
            [BASCULE, "shell", "-c", "from bascule.people.models import User; User.objects.all().delete()"],
            env=environment,
            check=True,
        )

    def timed_import() -> float | None:
        began = time.perf_counter()
        result = subprocess.run(
            [BASCULE, "import", "people", str(csv_path)], env=environment, capture_output=True, text=True
        )
        seconds = time.perf_counter() - began
        sys.stdout.write(result.stdout)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            print(f"import failed with exit status {result.returncode}", file=sys.stderr)
            return None
        return seconds

    seconds = timed_import()
    if seconds is None:
        return 1
    again = timed_import() if arguments.again else None

    print(f"date: {date.today().isoformat()}")
    print(f"machine: {machine()}")
    print(f"database: {database}")
    print(f"rows: {arguments.rows}")
    print(f"seconds: {seconds:.1f}")
    print(f"rows/s: {arguments.rows / seconds:,.0f}")
    if again is not None:
        print(f"same file again (all unchanged): {again:.1f} s, {arguments.rows / again:,.0f} rows/s")
    if arguments.keep:
        print(f"kept: {folder}")
    else:
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
