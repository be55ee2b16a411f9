"""Benchmark: directory search at 100,000 people, through real request handling.

    .venv/bin/python bench/directory_search.py                        # 100,000 people, SQLite in a temp dir
    .venv/bin/python bench/directory_search.py --people 20000          # quicker
    .venv/bin/python bench/directory_search.py --database-url postgresql://postgres@127.0.0.1/bascule_bench
    .venv/bin/python bench/directory_search.py --keep                   # keep the folder, then:
    .venv/bin/python bench/directory_search.py --data-dir /tmp/bascule-bench-XXXX --explain

Promise: directory search p95 under 100 ms with 100,000 people.

Builds `bascule demo --people N --seed 1` (timed, as a subprocess) in a fresh database, logs
in as the demo account with Django's test Client, and times ~200 deterministic GET
/people/ requests (full names, first and last names, partial names, skills, job titles,
filters by site, department, country and language, combinations, searches without result,
deep pages). Prints p50, p95 and max in milliseconds, then the slowest requests with their
SQL query count; `--explain` adds each slow request's SQL and query plan.

With `--database-url` the database must exist; it is emptied (`flush`) unless it already
holds a demo of the same size, which is reused. With `--data-dir` an earlier `--keep`
folder is reused the same way. Record results in docs/benchmarks.md.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, percentile, print_slowest  # noqa: E402
BASCULE = str(ROOT / ".venv" / "bin" / "bascule")


def search_requests(seed: int) -> list[tuple[str, dict]]:
    """~200 (kind, GET parameters) pairs drawn from the demo data, the same for the same seed."""
    from bascule.people.models import Country, Department, Language, Person, Site, Tag, fold

    rng = random.Random(seed)
    # A sample of people spread over the table, read once (not timed).
    sample = list(
        Person.objects.filter(pk__in=[rng.randint(1, Person.objects.count()) for _ in range(400)])
        .order_by("pk")
        .values("first_name", "last_name", "title", "site_id", "department_id")
    )
    tags = sorted(Tag.objects.values_list("name", flat=True))
    sites = sorted(Site.objects.values_list("pk", flat=True))
    departments = sorted(Department.objects.values_list("pk", flat=True))
    countries = sorted(Country.objects.values_list("pk", flat=True))
    languages = sorted(Language.objects.values_list("pk", flat=True))
    requests = []

    def add(kind, count, make):
        for _ in range(count):
            requests.append((kind, make()))

    add("full name", 30, lambda: {"q": (p := rng.choice(sample))["first_name"] + " " + p["last_name"]})
    add("last name", 25, lambda: {"q": rng.choice(sample)["last_name"]})
    add("first name", 15, lambda: {"q": rng.choice(sample)["first_name"]})
    add("partial name", 25, lambda: {"q": fold(rng.choice(sample)["last_name"])[: rng.randint(2, 4)]})
    add("skill", 20, lambda: {"q": rng.choice(tags)})
    add("title", 20, lambda: {"q": rng.choice(rng.choice(sample)["title"].split())})
    add("site", 10, lambda: {"site": rng.choice(sites)})
    add("department", 10, lambda: {"department": rng.choice(departments)})
    add("country and language", 6, lambda: {"country": rng.choice(countries), "language": rng.choice(languages)})
    add(
        "combined",
        20,
        lambda: {
            "q": rng.choice(tags + [p["last_name"] for p in sample]),
            "site": rng.choice(sites),
            "department": rng.choice(departments),
        },
    )
    add("no result", 10, lambda: {"q": rng.choice(["zzyzx", "qwertyuiop", "xylophonist", "blorft"]) + str(rng.randint(1, 99))})
    add("everyone, deep page", 9, lambda: {"page": rng.choice([1, 2, 50, 400, 4000])})
    rng.shuffle(requests)
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="Default: a fresh SQLite file in a temporary folder.")
    parser.add_argument("--data-dir", help="Reuse this BASCULE_DATA_DIR (from an earlier --keep).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and print its path.")
    parser.add_argument("--explain", action="store_true", help="Print the SQL and query plans of the slowest requests.")
    arguments = parser.parse_args()

    folder = Path(arguments.data_dir or tempfile.mkdtemp(prefix="bascule-bench-"))
    os.environ["BASCULE_DATA_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bascule.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test Client's host
    os.environ.pop("DATABASE_URL", None)
    if arguments.database_url:
        os.environ["DATABASE_URL"] = arguments.database_url
    database = "PostgreSQL" if arguments.database_url else "SQLite"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bascule.demo.organisation import DEMO_LOGIN_EMAIL
    from bascule.people.models import Person, User

    call_command("migrate", verbosity=0)
    if Person.objects.count() != arguments.people:
        if Person.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        connection.close()
        began = time.perf_counter()
        subprocess.run(
            [BASCULE, "demo", "--people", str(arguments.people), "--seed", str(arguments.seed)],
            env=os.environ,
            check=True,
        )
        print(f"bascule demo --people {arguments.people}: {time.perf_counter() - began:.1f} s on {database}")
    else:
        print(f"Reusing the demo of {arguments.people} people already in the database")

    if database == "PostgreSQL":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(email=DEMO_LOGIN_EMAIL))
    requests = search_requests(arguments.seed)
    for _, parameters in requests[:10]:  # warm caches and connections; not counted
        client.get("/people/", parameters)

    timings = []
    for kind, parameters in requests:
        began = time.perf_counter()
        response = client.get("/people/", parameters)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            print(f"GET /people/ {parameters} answered {response.status_code}", file=sys.stderr)
            return 1
        timings.append((elapsed, kind, parameters))

    values = [t for t, _, _ in timings]
    print(f"Machine: {machine()}")
    print(f"Database: {database} ({connection.vendor}), people: {Person.objects.count():,}")
    print(f"Directory search, {len(values)} requests: p50 {percentile(values, 0.5):.1f} ms, "
          f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms")
    by_kind = {}
    for elapsed, kind, _ in timings:
        by_kind.setdefault(kind, []).append(elapsed)
    for kind, kind_values in sorted(by_kind.items()):
        print(f"  {kind:22} n={len(kind_values):3}  p50 {percentile(kind_values, 0.5):6.1f}  max {max(kind_values):6.1f} ms")

    print_slowest(client, "/people/", timings, table="people_person", explain=arguments.explain, count=5)
    if arguments.keep or arguments.data_dir:
        print(f"Kept: {folder}")
    else:
        import shutil

        connection.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
