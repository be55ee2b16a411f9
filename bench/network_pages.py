"""Network pages at scale (issue 3, Performance): home feed, space page, post page, search
and creating a post, timed through Django's test Client; then requests per second
against gunicorn with wrk (or a small threaded client when wrk is missing).

Promises, on PostgreSQL with 10,000 people, 300 spaces and 1,000,000 posts and comments:
home feed, space page and post page ≤ 100 ms at p95; search ≤ 300 ms p95; creating a
post ≤ 50 ms p95.

    createdb -h 127.0.0.1 -U postgres bascule_bench_network
    .venv/bin/python bench/network_pages.py --build          # migrate + demo + COPY top-up, then measure
    .venv/bin/python bench/network_pages.py --top-up --no-load-test   # top up an existing demo only
    .venv/bin/python bench/network_pages.py                  # measure the demo already there
    .venv/bin/python bench/network_pages.py --people 2000 --spaces 60 --posts-and-comments 100000 --build
    .venv/bin/python bench/network_pages.py --explain        # SQL and plans of the slowest requests

The demo login (Camille Martin, a community manager in many spaces) is the reader: her
home feed is one of the fullest. Everything runs on this machine, over loopback only;
the load test is bounded in time (``--rps-seconds`` per page).
"""

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv running this script
DEFAULT_URL = "postgres://postgres@127.0.0.1/bascule_bench_network"
SEARCHES = (
    "VPN", "audit", "cantine", "formation", "Bascule", "ERP", "migration des données", "yoga",
    "CRM", "Standort", "sede", "innovation", "télétravail", "salon", "imprimante", "quality",
)


def build(args, env) -> None:
    """The demo organisation and its months of activity (Python, realistic but slow),
    then ``top_up`` to the full scale."""
    bascule = [sys.executable, "-m", "bascule"]
    subprocess.run([*bascule, "migrate", "--no-input", "-v0"], env=env, check=True)
    started = time.monotonic()
    command = [
        *bascule, "demo", "--people", str(args.people), "--spaces", str(args.spaces),
        "--posts-and-comments", str(min(args.demo_posts_and_comments, args.posts_and_comments)),
        "--months", str(args.months), "--seed", "1", "-v2",
    ]
    subprocess.run(command, env=env, check=True)
    print(f"demo: {time.monotonic() - started:.0f} s")


def top_up(args) -> None:
    """Posts and comments added with COPY until the network holds ``--posts-and-comments``
    of them (the generator of bench/search.py, with real comment rows): spread over the
    two years before the demo's newest post, in the spaces weighted by their size,
    written by their active members, with their search documents."""
    import django

    django.setup()
    from search import corpus_add

    from bascule.network.models import Comment, Post

    have = Post.objects.count() + Comment.objects.count()
    missing = args.posts_and_comments - have
    if missing <= args.posts_and_comments * 0.01:
        print(f"top-up: {have:,} posts and comments already")
        return
    started = time.monotonic()
    newest = Post.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    print(f"top-up: adding {missing:,} posts and comments to {have:,}")
    corpus_add(missing, seed=2, comment_rows=True, end=newest, span=timedelta(days=730), authors_from_members=True)
    print(f"top-up: {time.monotonic() - started:.0f} s")


CPU_TIMES: list[float] = []  # Python CPU time (ms) of each timed request, for the record


def timed(client, method: str, url: str, data=None, *, expect=(200,)) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, data) if method == "POST" else client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    CPU_TIMES.append((time.process_time() - cpu) * 1000)
    if response.status_code not in expect:
        raise SystemExit(f"{method} {url} answered {response.status_code}")
    return elapsed


def reader_of(kind: str):
    """The demo login (a community manager in many spaces, one of the fullest feeds), or an
    ordinary member: the first person still here, active member of 40 to 50 spaces (the
    demo's median is 46: every site and company space) and manager of none."""
    from django.db.models import Count, Q

    from bascule.demo.organisation import DEMO_LOGIN_EMAIL
    from bascule.network.models import MANAGING_ROLES
    from bascule.people.models import Person

    people = Person.objects.select_related("user")
    if kind == "demo":
        return people.get(user__email=DEMO_LOGIN_EMAIL)
    return (
        people.filter(departed_on__isnull=True, user__is_active=True)
        .exclude(user__email=DEMO_LOGIN_EMAIL)
        .annotate(
            spaces=Count("memberships", filter=Q(memberships__status="active")),
            managed=Count("memberships", filter=Q(memberships__status="active", memberships__role__in=MANAGING_ROLES)),
        )
        .filter(spaces__gte=40, spaces__lte=50, managed=0)
        .order_by("pk")
        .first()
    )


def measure(args, reader: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bascule import access
    from bascule.network.models import Comment, Membership, Post, Space
    from bascule.notify.models import Notification
    from bascule.people.models import Person

    import bascule.wsgi  # noqa: F401  the process as the server runs it (its garbage collector settings)

    camille = reader_of(reader)
    scale = {
        "people": Person.objects.count(),
        "spaces": Space.objects.count(),
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
    }
    print(f"scale: {scale}")
    print(f"reader ({reader}): {camille.display_name}, person {camille.pk}, "
          f"{Membership.objects.filter(person=camille, status='active').count()} spaces, "
          f"{Notification.objects.filter(recipient=camille).count()} notifications "
          f"({Notification.objects.filter(recipient=camille, read_at__isnull=True).count()} unread)")
    client = Client()
    client.force_login(camille.user)
    rng = random.Random(1)
    readable = list(access.readable_spaces(camille).values_list("slug", flat=True))
    big = list(
        Space.objects.filter(slug__in=readable).order_by("-pk").values_list("slug", flat=True)
    )
    spaces = [rng.choice(big) for _ in range(args.requests)]
    visible = access.visible_posts(camille).filter(space__isnull=False)
    top = visible.order_by("-pk").values_list("pk", "space__slug")[:5000]
    posts = [rng.choice(top) for _ in range(args.requests)]
    member_of = list(
        Membership.objects.filter(person=camille, status="active", space__archived_at__isnull=True)
        .values_list("space__slug", flat=True)
    )
    pages = {
        "home feed": [("GET", "/", None)] * args.requests,
        "space page": [("GET", reverse("network:space", args=[slug]), None) for slug in spaces],
        "post page": [("GET", reverse("network:post", args=[slug, pk]), None) for pk, slug in posts],
        "search": [("GET", f"/search/?q={rng.choice(SEARCHES)}", None) for _ in range(args.requests)],
        # No promise of the issue; measured because it lists every space the reader may know.
        "directory": [("GET", reverse("network:directory"), None)] * args.requests,
        "create post": [
            ("POST", reverse("network:post_create", args=[rng.choice(member_of)]),
             {"kind": "discussion", "body": f"Benchmark {n}: un point rapide sur #qualité avant jeudi."})
            for n in range(args.requests // 2)
        ],
    }
    results = {}
    for name, requests in pages.items():
        if args.pages and name not in args.pages:
            continue
        expect = (302, 303, 200) if name == "create post" else (200,)
        for method, url, data in requests[:3]:  # warm caches and the connection
            timed(client, method, url, data, expect=expect)
        times, slow = [], []
        CPU_TIMES.clear()
        load = os.getloadavg()[0]
        sql = []
        for method, url, data in requests:
            with CaptureQueriesContext(connection) as captured:
                elapsed = timed(client, method, url, data, expect=expect)
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            times.append(elapsed)
            slow.append((elapsed, method, url, data))
        slow.sort(reverse=True)
        cpu = list(CPU_TIMES)
        with CaptureQueriesContext(connection) as queries:
            timed(client, slow[0][1], slow[0][2], slow[0][3], expect=expect)
        results[name] = {
            "p50": percentile(times, 0.5), "p95": percentile(times, 0.95), "max": max(times),
            "n": len(times), "queries": len(queries), "slowest": slow[0][2],
            "cpu p50": percentile(cpu, 0.5), "cpu p95": percentile(cpu, 0.95),
            "sql p50": percentile(sql, 0.5), "sql p95": percentile(sql, 0.95), "load": load,
        }
        print(f"{name:12} n={len(times):4}  p50 {results[name]['p50']:7.1f} ms  p95 {results[name]['p95']:7.1f} ms"
              f"  max {results[name]['max']:7.1f} ms  | Python CPU p50/p95 {results[name]['cpu p50']:5.1f}/{results[name]['cpu p95']:5.1f}"
              f"  SQL p50/p95 {results[name]['sql p50']:5.1f}/{results[name]['sql p95']:5.1f} ms  load {load:.1f}"
              f"  queries {len(queries):3}  slowest {slow[0][2]}")
        if args.explain:
            with CaptureQueriesContext(connection) as queries:
                timed(client, slow[0][1], slow[0][2], slow[0][3], expect=expect)
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:400]}")
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                        print("    " + "\n    ".join(row[0] for row in cursor.fetchall()[:25]))
    session = client.cookies["sessionid"].value
    urls = {name: requests[0][1] for name, requests in pages.items() if name != "create post"}
    return {"scale": scale, "results": results, "session": session, "urls": urls}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_load(url: str, cookie: str, seconds: float, concurrency: int) -> tuple[float, float]:
    """Requests per second and p95 (ms) with ``concurrency`` keep-alive threads."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie})
            connection.getresponse().read()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.monotonic() - started), percentile(latencies, 0.95)


def load_test(args, env, measured) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "bascule.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
         "--log-level", "warning"],
        env=env, cwd=ROOT,
    )
    results = {}
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = f"sessionid={measured['session']}"
        wrk = shutil.which("wrk")
        import urllib.request
        from urllib.parse import quote

        for name, path in measured["urls"].items():
            url = f"http://127.0.0.1:{port}{quote(path, safe='/?=&')}"
            # Warm every worker up (imports, connections) and check the session works.
            for _ in range(args.workers * 2):
                request = urllib.request.Request(url, headers={"Cookie": cookie})
                with urllib.request.urlopen(request, timeout=60) as response:
                    if response.status != 200 or response.url != url:
                        raise SystemExit(f"{url} answered {response.status} at {response.url}")
            if wrk:
                output = subprocess.run(
                    [wrk, "-t", "2", "-c", str(args.concurrency), "-d", f"{args.rps_seconds}s", "--timeout", "30s", "--latency",
                     "-H", f"Cookie: {cookie}", url],
                    capture_output=True, text=True, check=True,
                ).stdout
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
                p50 = re.search(r"50%\s+([\d.]+)(\w+)", output)
                p99 = re.search(r"99%\s+([\d.]+)(\w+)", output)
                non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
                results[name] = {"rps": rps, "p50": f"{p50.group(1)} {p50.group(2)}" if p50 else "?", "p99": f"{p99.group(1)} {p99.group(2)}" if p99 else "?",
                                 "errors": int(non_2xx.group(1)) if non_2xx else 0, "tool": "wrk"}
            else:
                rps, p95 = python_load(url, cookie, args.rps_seconds, args.concurrency)
                results[name] = {"rps": rps, "p95": f"{p95:.0f} ms", "errors": 0, "tool": "python"}
            print(f"{name:12} {results[name]}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--build", action="store_true", help="migrate and load the demo at scale first (empty database)")
    parser.add_argument("--top-up", action="store_true", help="add posts and comments with COPY up to --posts-and-comments")
    parser.add_argument("--demo-posts-and-comments", type=int, default=100_000,
                        help="what --build asks of the demo before the top-up")
    parser.add_argument("--reader", choices=["demo", "member", "both"], default="both")
    parser.add_argument("--pages", nargs="*", help="only these pages (home feed, space page, post page, search, directory, create post)")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--spaces", type=int, default=300)
    parser.add_argument("--posts-and-comments", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--requests", type=int, default=200, help="requests timed per page")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-load-test", action="store_true")
    parser.add_argument("--rps-seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bascule.settings",
           "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    print(f"machine: {machine()}")
    print(f"database: {args.database_url}")
    if args.build:
        build(args, env)
    if args.build or args.top_up:
        top_up(args)
    readers = ["member", "demo"] if args.reader == "both" else [args.reader]  # wrk uses the last one's session
    for reader in readers:
        measured = measure(args, reader)
    if not args.no_load_test:
        from django.db import connections

        connections.close_all()
        load_test(args, env, measured)


if __name__ == "__main__":
    main()
