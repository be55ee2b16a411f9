"""Helpers shared by the benchmarks: the machine's description and percentiles."""

import math
import os
import platform
from pathlib import Path


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    ram = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}){ram}"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def print_slowest(client, path: str, timings, *, table: str, explain: bool, count: int = 5) -> None:
    """Replay the ``count`` slowest of ``timings`` (``(ms, kind, parameters)``) on ``path``
    and print how many SQL queries each made; with ``explain``, each query and the plan of
    those that read ``table``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print("Slowest requests:")
    for elapsed, kind, parameters in sorted(timings, key=lambda t: t[0], reverse=True)[:count]:
        with CaptureQueriesContext(connection) as queries:
            client.get(path, parameters)
        print(f"  {elapsed:7.1f} ms  {kind:24} {parameters}  ({len(queries)} SQL queries)")
        if not explain:
            continue
        for query in queries.captured_queries:
            print(f"      {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
            if query["sql"].startswith("SELECT") and table in query["sql"]:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
                with connection.cursor() as cursor:
                    cursor.execute(prefix + query["sql"])
                    for row in cursor.fetchall():
                        print(f"               {' '.join(str(c) for c in row)}")
