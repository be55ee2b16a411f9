"""Print a PostgreSQL URL the test suite can use, or exit 1 when none can be had.

    python scripts/postgres_url.py          print a URL (may start a throwaway cluster)
    python scripts/postgres_url.py --stop URL   stop the throwaway cluster behind URL, if any
    python scripts/postgres_url.py --name URL   print the server's name and major version

Where the URL comes from, first that works:
1. $TEST_DATABASE_URL, or $DATABASE_URL when it is a PostgreSQL URL;
2. a server on 127.0.0.1:5432 that accepts user postgres without a password
   (skipped when BASCULE_TEST_NO_LOCAL_PG=1, to exercise step 3);
3. a throwaway cluster started from the installed binaries
   (/usr/lib/postgresql/*/bin/initdb) in a temporary folder, reachable only through a
   unix socket in that folder. As root it runs as the `postgres` system user, because
   initdb refuses to run as root. The caller stops it with --stop.

Each run on the shared local server gets its own database name, so that engineers
running the suite at the same time do not drop each other's test database
(pytest-django creates and drops test_<name>; <name> itself is never created).
"""

import glob
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from urllib.parse import quote, unquote, urlsplit

import psycopg

MARKER = "bascule-throwaway-cluster"


def log(message: str) -> None:
    print(message, file=sys.stderr)


def connects(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def from_environment() -> str | None:
    for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


def local_server() -> str | None:
    if os.environ.get("BASCULE_TEST_NO_LOCAL_PG") == "1":
        return None
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    if not connects("postgresql://postgres@127.0.0.1:5432/postgres"):
        log("A server listens on 127.0.0.1:5432 but does not accept user postgres without a password.")
        return None
    return f"postgresql://postgres@127.0.0.1:5432/bascule_{secrets.token_hex(4)}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_cluster_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


def throwaway_cluster() -> str | None:
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not initdbs:
        return None
    bindir = os.path.dirname(initdbs[-1])
    owner = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            log("Cannot start a throwaway PostgreSQL as root without a `postgres` system user.")
            return None
        if not shutil.which("runuser"):
            return None
        owner = "postgres"
    root = tempfile.mkdtemp(prefix=f"{MARKER}-")
    data, sockets = os.path.join(root, "data"), os.path.join(root, "socket")
    os.mkdir(sockets)
    open(os.path.join(root, MARKER), "w").close()
    if owner:
        entry = pwd.getpwnam(owner)
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True, "cwd": root}
    steps = [
        [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
         "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
        [f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(root, "server.log"), "-w", "-t", "30",
         "-o", f"-c listen_addresses='' -k {sockets} -p {port} -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off", "start"],
    ]
    for step in steps:
        result = subprocess.run(as_cluster_owner(step, owner), **quiet)
        if result.returncode != 0:
            log(f"Could not start a throwaway PostgreSQL: {result.stderr.strip()}")
            stop(root)
            return None
    url = f"postgresql://postgres@{quote(sockets, safe='')}:{port}/postgres"
    if not connects(url):
        stop(root)
        return None
    return url


def stop(root: str) -> None:
    """Stop the throwaway cluster in root and remove its folder."""
    if not os.path.exists(os.path.join(root, MARKER)):
        return
    data = os.path.join(root, "data")
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))[-1]
        owner = "postgres" if os.geteuid() == 0 else None
        subprocess.run(
            as_cluster_owner([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], owner),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
        )
    shutil.rmtree(root, ignore_errors=True)


def stop_url(url: str) -> None:
    """Stop the throwaway cluster behind url, or drop the test database this script named
    on the local server when an interrupted run left it behind."""
    parts = urlsplit(url)
    # A throwaway cluster's URL names its socket folder as the host: %2Ftmp%2F…%2Fsocket:port
    address = parts.netloc.rpartition("@")[2]
    host = unquote(address.rpartition(":")[0] or address)
    if host.startswith("/"):
        stop(os.path.dirname(host))
        return
    name = parts.path.lstrip("/")
    if re.fullmatch(r"bascule_[0-9a-f]{8}", name):
        try:
            with psycopg.connect(url, dbname="postgres", connect_timeout=3, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')
        except psycopg.Error:
            pass


def server_name(url: str) -> str:
    """"PostgreSQL 15"; the database in url may not exist yet (see the module docstring)."""
    for database in ({}, {"dbname": "postgres"}):
        try:
            with psycopg.connect(url, connect_timeout=3, **database) as connection:
                return f"PostgreSQL {connection.info.server_version // 10000}"
        except psycopg.Error:
            continue
    return "PostgreSQL"


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--stop":
        stop_url(argv[1])
        return 0
    if len(argv) == 2 and argv[0] == "--name":
        print(server_name(argv[1]))
        return 0
    url = from_environment() or local_server() or throwaway_cluster()
    if not url:
        return 1
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
