"""The short run of bench/soak.py: 30 s of traffic from 32 clients against `gazetteer serve` while slow
clients hold connections, a worker is killed and `db init` loads changed data. It fails on any failed
request or 5xx, a dead master, or the new data not being served; the latency figures are printed (the
full run's are in the README)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parent.parent / "bench" / "soak.py"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="the soak finds gunicorn's workers in Linux /proc")
def test_soak_short_run_fails_no_request() -> None:
    result = subprocess.run([sys.executable, str(SOAK), "--seconds", "30", "--base-layer", "none", "--json"],
                            capture_output=True, text=True, timeout=600)
    print(result.stdout)
    print(result.stderr[-3000:], file=sys.stderr)
    answer = json.loads(result.stdout)
    figures, targets = answer["figures"], answer["targets"]
    assert figures["requests"] > 300
    assert figures["failed or 5xx"] == 0, result.stderr[-2000:]
    assert targets["master alive at the end"]
    assert targets["new data version served"], figures
    assert figures["slow connections closed by the server"] > 0
    assert result.returncode == 0
