"""Print a PostgreSQL URL the test suite can use, or exit 1 when none can be had.

Order: $TEST_DATABASE_URL or a PostgreSQL $DATABASE_URL; a server on 127.0.0.1:5432.
"""

import os
import socket
import sys

for name in ("TEST_DATABASE_URL", "DATABASE_URL"):
    url = os.environ.get(name, "")
    if url.startswith(("postgres://", "postgresql://")):
        print(url)
        sys.exit(0)

try:
    socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
except OSError:
    sys.exit(1)
print("postgresql://postgres@127.0.0.1:5432/postgres")
