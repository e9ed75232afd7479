"""A separate process that records one large run, for the crash and concurrency tests.

    python tests/store/worker.py LOCATION SYSTEMS [--wait]

Prints `ready <findings>` once the run is built, then (with --wait) waits for a line on
stdin, so that several workers can be released at the same moment; opens the store (creating
it if needed), prints `recording <time>`, records, and prints `recorded <run id> <time>`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import finding_count, large_run

from auditor.store import HistoryStore


def main() -> int:
    location, systems = sys.argv[1], int(sys.argv[2])
    run = large_run(systems)
    print(f"ready {finding_count(run)}", flush=True)
    if "--wait" in sys.argv[3:]:
        sys.stdin.readline()
    with HistoryStore.open(location) as store:
        print(f"recording {time.time()}", flush=True)
        run_id = store.record(run, inventory=f"worker {systems}")
    print(f"recorded {run_id} {time.time()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
