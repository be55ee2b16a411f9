"""Benchmark: the adoption cockpit's overview, server side, on an existing database.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/some_loaded_db \\
        .venv/bin/python bench/cockpit_overview.py --day 2026-11-22 [--repeat 5] [--page]

    # Build the database first (PostgreSQL only; created when missing, emptied first):
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bascule_bench_cockpit \\
        .venv/bin/python bench/cockpit_overview.py --build --people 100000 --day 2026-11-22

``--build`` imports ``--people`` people with `bascule import people` (the HR file of
bench/import_people.py: 20 departments, 40 sites), then writes a year of daily rollups
ending on ``--day`` directly with SQL ``generate_series`` (no raw events: the cockpit reads
rollups only), the first and last active days from them as `bascule adoption rebuild`
does, the stage history of the last ``--history-days`` days with the daily task's
action (`stage_changes_record`), and the facts of the last day (`facts_record`, also the
daily task's: the cockpit reads them; ``--from-rollups`` times it without them).
Proportions: 8 % never active, about 30 % of the others
gone silent at some point of the year, a quarter interactive (reactions, a few
comments), and contributors in a share that depends on the site and the department (2 to
22 %: some sites past the tipping point, others stalling); about 8 events per active day.
``--page`` also times the overview page once through Django's test client, signed in as
someone holding the analytics viewer role (named through the action by an operator who
is created, outside the population, when there is none: so not on a shared database).

Without --build and --page, read-only: times, in process, what the overview page computes
(the whole organisation's counts and their suppression, `cockpit_build`), the weekly trend
from the stage history (`stage_trend`), and the segment table by site and by department
as the segments page asks for it. Prints the median of ``--repeat`` runs, wall time and
CPU time. Any loaded database will do (`bascule demo`, bench/adoption_journey.py --keep,
--build). Record results in docs/benchmarks.md ("Cockpit overview (server time)").
"""

import argparse
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

# Contributors' share in a segment: 2 % plus up to 12 points by site and 8 by department.
PROFILES_SQL = """
CREATE TEMPORARY TABLE bench_profile AS
WITH base AS (
    SELECT p.id AS person_id,
           0.02 + 0.12 * ((COALESCE(p.site_id, 0) * 37) %% 40) / 40.0
                + 0.08 * ((COALESCE(p.department_id, 0) * 13) %% 20) / 20.0 AS contributor_share,
           random() AS u_role, random() AS u_promoter, random() AS u_first, random() AS u_churn, random() AS u_last
    FROM people_person p
), roles AS (
    SELECT person_id, u_first, u_churn, u_last,
           CASE WHEN u_role < 0.08 THEN 'never'
                WHEN u_role < 0.08 + contributor_share THEN
                     CASE WHEN u_promoter < 0.4 THEN 'promoter' ELSE 'contributor' END
                WHEN u_role < 0.33 + contributor_share THEN 'interactive'
                ELSE 'reader' END AS role
    FROM base
), spans AS (
    SELECT person_id, role, u_churn, u_last,
           %(start)s::date + floor(power(u_first, 3) * 300)::int AS first_day
    FROM roles
)
SELECT person_id, role, first_day,
       CASE WHEN u_churn < (CASE WHEN role IN ('contributor', 'promoter') THEN 0.15 ELSE 0.35 END)
            THEN first_day + floor(u_last * (%(day)s::date - first_day))::int
            ELSE %(day)s::date END AS last_day,
       CASE role WHEN 'reader' THEN 0.28 WHEN 'interactive' THEN 0.38 WHEN 'contributor' THEN 0.5 ELSE 0.55 END
           AS p_day
    FROM spans
"""

# One row per active day: a visit, reads, and what the person's role does.
ROLLUPS_SQL = """
INSERT INTO adoption_dailyactivity (person_id, day, participation, contribution, promotion, informed,
    visit, read, react, follow, "join", vote, search, attend, learn, profile_update,
    post, comment, answer, share, invite, mention, recognize, accompany)
SELECT person_id, day,
       visit + read + react + follow + "join" + vote + search + attend + learn + profile_update,
       post + comment + answer, share + invite + mention + recognize + accompany, 0,
       visit, read, react, follow, "join", vote, search, attend, learn, profile_update,
       post, comment, answer, share, invite, mention, recognize, accompany
FROM (
    SELECT b.person_id, g.d::date AS day, b.role,
           1 AS visit,
           1 + floor(random() * 11)::int AS read,
           CASE WHEN b.role <> 'reader' AND random() < 0.5 THEN 1 + floor(random() * 3)::int ELSE 0 END AS react,
           CASE WHEN random() < 0.02 THEN 1 ELSE 0 END AS follow,
           CASE WHEN random() < 0.01 THEN 1 ELSE 0 END AS "join",
           CASE WHEN random() < 0.02 THEN 1 ELSE 0 END AS vote,
           CASE WHEN random() < 0.15 THEN 1 + floor(random() * 2)::int ELSE 0 END AS search,
           CASE WHEN random() < 0.005 THEN 1 ELSE 0 END AS attend,
           CASE WHEN random() < 0.01 THEN 1 ELSE 0 END AS learn,
           CASE WHEN random() < 0.003 THEN 1 ELSE 0 END AS profile_update,
           CASE WHEN b.role IN ('contributor', 'promoter') AND random() < 0.2 THEN 1 ELSE 0 END AS post,
           CASE WHEN b.role IN ('contributor', 'promoter') AND random() < 0.3 THEN 1 + floor(random() * 2)::int
                WHEN b.role = 'interactive' AND random() < 0.03 THEN 1 ELSE 0 END AS comment,
           CASE WHEN b.role IN ('contributor', 'promoter') AND random() < 0.05 THEN 1 ELSE 0 END AS answer,
           CASE WHEN b.role = 'promoter' AND random() < 0.25 THEN 1 ELSE 0 END AS share,
           CASE WHEN b.role = 'promoter' AND random() < 0.02 THEN 1 ELSE 0 END AS invite,
           CASE WHEN b.role = 'promoter' AND random() < 0.2 THEN 1
                WHEN b.role = 'interactive' AND random() < 0.02 THEN 1 ELSE 0 END AS mention,
           CASE WHEN b.role = 'promoter' AND random() < 0.03 THEN 1 ELSE 0 END AS recognize,
           CASE WHEN b.role = 'promoter' AND random() < 0.02 THEN 1 ELSE 0 END AS accompany
    FROM bench_profile b
    -- A draw per day (in the subquery: a condition on b alone would be drawn per person).
    CROSS JOIN LATERAL (SELECT d, random() AS u FROM generate_series(b.first_day, b.last_day, interval '1 day') d) g
    WHERE b.role <> 'never' AND g.u < b.p_day
) x
ORDER BY day, person_id
"""


def database_build(url: str, *, people: int, day: date, history_days: int) -> None:
    """Create (or empty) the database of ``url``, import the people, write a year of
    rollups, the first and last active days and the stage history (see the docstring)."""
    import psycopg

    import import_people

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgresql://", "postgres://", 1), autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url.replace("postgresql://", "postgres://", 1), autocommit=True) as connection:
        # Emptied quickly before the people go (their deletion would cascade row by row).
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE tablename IN "
            "('adoption_stagechange', 'adoption_personactivity', 'adoption_dailyactivity', 'adoption_event')")]
        if tables:
            connection.execute(f"TRUNCATE {', '.join(tables)}")
    environment = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="bascule.settings")
    bascule = [sys.executable, "-m", "bascule"]

    def step(label, function):
        started = time.perf_counter()
        result = function()
        print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
        return result

    step("migrate", lambda: subprocess.run([*bascule, "migrate", "-v0"], env=environment, check=True))
    with tempfile.TemporaryDirectory(prefix="bascule-cockpit-") as folder:
        path = Path(folder) / "people.csv"
        import_people.write_csv(path, people)
        step("empty", lambda: subprocess.run(
            [*bascule, "shell", "-c", "from bascule.people.models import User; User.objects.all().delete()"],
            env=environment, check=True))
        step(f"import {people} people", lambda: subprocess.run(
            [*bascule, "import", "people", str(path)], env=environment, check=True, capture_output=True))

    import django
    from django.db import connection

    django.setup()
    start = day - timedelta(days=364)
    with connection.cursor() as cursor:
        for table in ("adoption_stagechange", "adoption_personactivity", "adoption_dailyactivity", "adoption_event"):
            cursor.execute(f"TRUNCATE {table}")
        cursor.execute("SELECT setseed(0.2026)")
        step("profiles", lambda: cursor.execute(PROFILES_SQL, {"start": start, "day": day}))
        step("rollups", lambda: cursor.execute(ROLLUPS_SQL))
        # Everyone was told about the network the day before the year began.
        step("informed", lambda: cursor.execute(
            "INSERT INTO adoption_dailyactivity (person_id, day, participation, contribution, promotion, informed, "
            "visit, read, react, follow, \"join\", vote, search, attend, learn, profile_update, post, comment, "
            "answer, share, invite, mention, recognize, accompany) "
            "SELECT id, %s, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM people_person",
            [start - timedelta(days=1)]))
        # As `bascule adoption rebuild` does.
        step("first and last active days", lambda: cursor.execute(
            "INSERT INTO adoption_personactivity (person_id, first_active_day, last_active_day) "
            "SELECT person_id, MIN(day), MAX(day) FROM adoption_dailyactivity "
            "WHERE participation + contribution + promotion > 0 GROUP BY person_id"))
        step("analyze", lambda: cursor.execute("ANALYZE"))
        cursor.execute("SELECT COUNT(*), SUM(participation + contribution + promotion + informed) FROM adoption_dailyactivity")
        rollups, events = cursor.fetchone()
        cursor.execute("SELECT role, COUNT(*) FROM bench_profile GROUP BY role ORDER BY role")
        roles = cursor.fetchall()
    print(f"  {rollups:,} daily rollups standing for {events:,} events; roles {roles}", flush=True)
    from bascule.adoption.actions import stage_changes_record

    def history():
        for offset in range(history_days - 1, -1, -1):
            stage_changes_record(day=day - timedelta(days=offset))

    step(f"stage history of {history_days} days", history)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    facts_step(day)


def facts_step(day: date) -> None:
    """What the daily task records for the cockpit every night: the facts of ``day``."""
    from bascule.adoption.actions import facts_record

    started = time.perf_counter()
    report = facts_record(day=day)
    print(f"  facts of {day} recorded (the daily task's share): {report.recorded:,} people of "
          f"{report.population:,}, {time.perf_counter() - started:.1f} s", flush=True)


def page_time(day: date) -> tuple[float, int]:
    """The overview page once through the test client, signed in as an analytics viewer
    (named by an administrator through the action): seconds and SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from bascule.people.models import Person
    from bascule.programs.actions import role_assign
    from bascule.programs.models import RoleKind
    from bascule.programs.queries import roles_for

    setup_test_environment()
    viewer = Person.objects.select_related("user").order_by("pk").first()
    if not list(roles_for(viewer, RoleKind.ANALYTICS_VIEWER)):
        administrator = Person.objects.select_related("user").filter(user__is_staff=True).first()
        if administrator is None:
            # An operator who starts in the future: outside the population measured.
            from bascule.people.actions import person_create

            administrator = person_create(email="bench-operator@example.com", display_name="Bench operator",
                                          is_staff=True, start_date=date(2099, 1, 1))
        role_assign(actor=administrator, person=viewer, kind=RoleKind.ANALYTICS_VIEWER)
    client = Client()
    client.force_login(viewer.user)
    client.get("/")  # sessions and caches warm
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/cockpit/", {"day": day.isoformat()})
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"the overview answered {response.status_code}")
    return seconds, len(queries)


def _backend_pid() -> int | None:
    """The PostgreSQL backend's process id when the database runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_of(pid: int | None) -> float:
    """User + system CPU seconds of process ``pid`` so far (0 without one)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", required=True, help="The day shown (YYYY-MM-DD); with --build, the year's last day.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="Build the database of DATABASE_URL first (PostgreSQL).")
    parser.add_argument("--people", type=int, default=100_000, help="With --build: how many people.")
    parser.add_argument("--history-days", type=int, default=84, help="With --build: days of stage history.")
    parser.add_argument("--page", action="store_true", help="Also time the overview page through the test client.")
    parser.add_argument("--record", action="store_true",
                        help="Record the facts of --day first, as the daily task does (timed).")
    parser.add_argument("--from-rollups", action="store_true",
                        help="Time the cockpit as if no facts were recorded for the day (summing the rollups).")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bascule.settings")
    day = date.fromisoformat(args.day)
    if args.build:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--build needs DATABASE_URL=postgresql://…/bascule_bench_cockpit")
        database_build(url, people=args.people, day=day, history_days=args.history_days)
    import django

    django.setup()
    from _common import machine

    from django.db import transaction

    from bascule.adoption import metrics
    from bascule.adoption.models import FactsDay

    if args.record:
        facts_step(day)
    if args.from_rollups:
        # Undone at the end: the facts stay recorded for the next run.
        atomic = transaction.atomic()
        atomic.__enter__()
        FactsDay.objects.filter(day=day).delete()
    recorded = metrics.facts_recorded(day, metrics.JourneyRules.from_settings())
    audience = metrics.Audience(kind="organisation", label="")

    backend = _backend_pid()

    def median(function):
        """Median wall time of ``function``, and median CPU time (this process plus the
        database's backend process, when it runs on this machine; parallel workers of
        PostgreSQL not included): CPU time says more than wall time on a loaded machine."""
        times, cpu, result = [], [], None
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time() + _cpu_of(backend)
            result = function()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() + _cpu_of(backend) - started_cpu)
        return statistics.median(times), statistics.median(cpu), result

    build, build_cpu, cockpit = median(lambda: metrics.cockpit_build(day=day, audience=audience))
    trend, trend_cpu, _ = median(lambda: metrics.stage_trend(day=day, audience=audience, cockpit=cockpit))
    # As the segments page asks for them (with the field, when cockpit_build takes it).
    with_field = "field_name" in inspect.signature(metrics.cockpit_build).parameters

    def heatmap(field_name):
        extra = {"field_name": field_name} if with_field else {}
        return metrics.cockpit_build(day=day, audience=audience, **extra).table(field_name)

    site, site_cpu, _ = median(lambda: heatmap("site"))
    department, department_cpu, _ = median(lambda: heatmap("department"))
    print(f"machine: {machine()}; load average {os.getloadavg()}")
    print("the cockpit read the facts recorded for the day" if recorded
          else "no facts recorded for the day: the cockpit summed the window's rollups")
    print(f"people {cockpit.whole.counts[metrics.BLOCK_INDEX['population']]}; median of {args.repeat}, wall (CPU) s: "
          f"overview figures {build:.3f} ({build_cpu:.3f}); weekly trend {trend:.3f} ({trend_cpu:.3f}); "
          f"overview total {build + trend:.3f} ({build_cpu + trend_cpu:.3f}); "
          f"heatmap by site {site:.3f} ({site_cpu:.3f}); by department {department:.3f} ({department_cpu:.3f}); "
          f"tipping point {cockpit.whole.tipping_point}")
    if args.page:
        seconds, queries = page_time(day)
        print(f"overview page through the test client: {seconds:.3f} s, {queries} SQL queries; "
              f"load average {os.getloadavg()}")
    if args.from_rollups:
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
