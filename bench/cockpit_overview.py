"""Benchmark: the adoption cockpit's overview, server side, on an existing database.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/some_loaded_db \\
        .venv/bin/python bench/cockpit_overview.py --day 2026-11-22 [--repeat 5]

Read-only: times, in process, what the overview page computes (each person's facts from
the rollups and the suppressed figures of the whole organisation, `cockpit_build`), the
weekly trend from the stage history (`stage_trend`), and the segment table by site and by
department (the heatmap page). Prints the median of ``--repeat`` runs. Use a database
loaded by `bascule demo` or by bench/adoption_journey.py (--keep). Record results in
docs/benchmarks.md ("Adoption engine").
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", required=True, help="The day shown (YYYY-MM-DD).")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bascule.settings")
    import django

    django.setup()
    from bascule.adoption import metrics

    day = date.fromisoformat(args.day)
    audience = metrics.Audience(kind="organisation", label="")

    def median(function):
        times, result = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - started)
        return statistics.median(times), result

    build, cockpit = median(lambda: metrics.cockpit_build(day=day, audience=audience))
    trend, _ = median(lambda: metrics.stage_trend(day=day, audience=audience, cockpit=cockpit))
    site, _ = median(lambda: metrics.cockpit_build(day=day, audience=audience).table("site"))
    department, _ = median(lambda: metrics.cockpit_build(day=day, audience=audience).table("department"))
    print(f"people {len(cockpit.facts)}; overview figures {build:.3f} s; weekly trend {trend:.3f} s; "
          f"overview total {build + trend:.3f} s; heatmap by site {site:.3f} s; by department {department:.3f} s; "
          f"tipping point {cockpit.whole.tipping_point}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
