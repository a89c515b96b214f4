"""JSONL input the CLI cannot take (a lone surrogate, JSON nested thousands deep) is reported as
FILE:LINE with a non-zero exit, never a traceback; a text with a lone surrogate is InvalidInput in the
library too; and `annotate --format json|jsonl` writes a text with very many mentions piece by piece,
its memory bounded by the mentions rather than their JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer import Gazetteer
from gazetteer.errors import InvalidInput
from gazetteer.inputs import MAX_JSON_DEPTH
from tests.conftest import REPO

# The command as `gazetteer` runs it, telling at its exit its own peak resident memory (VmHWM: that of
# this process's memory since its exec; ru_maxrss would count the test process it was forked from).
_RUN = """import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        sys.stderr.write("".join(f"\\npeak-kb {line.split()[1]}" for line in status if line.startswith("VmHWM:")))
atexit.register(peak)
sys.argv[0] = "gazetteer"
runpy.run_module("gazetteer.cli", run_name="__main__")
"""


def _cli(url: str, tmp_path: Path, *args: str) -> tuple[int, Path, str, float]:
    """Run ``gazetteer --database-url URL ARGS`` as a user does: (exit code, the file its output went
    to, what it wrote to stderr, its peak resident memory in MB)."""
    output = tmp_path / "stdout"
    with open(output, "wb") as out:
        done = subprocess.run([sys.executable, "-c", _RUN, "--database-url", url, *args], stdout=out,
                              stderr=subprocess.PIPE, cwd=REPO, timeout=600, check=False)
    errors, found, peak = done.stderr.decode("utf-8", "replace").rpartition("\npeak-kb ")
    if not found:
        return done.returncode, output, peak, 0.0
    return done.returncode, output, errors, int(peak) / 1024


@pytest.mark.parametrize("command", ["annotate", "evaluate"])
@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "x", "text": "Baku \\ud800"}', "text has a lone surrogate (U+D800) at offset 5: not encodable as UTF-8"),
    ('{"id": "\\udc00", "text": "Baku"}', "id has a lone surrogate (U+DC00) at offset 0"),
    ('{"text": "Baku", "source": ' + "[" * 5_000 + "]" * 5_000 + "}", f"nested more than {MAX_JSON_DEPTH}"),
    ("[" * 100_000 + "]" * 100_000, f"nested more than {MAX_JSON_DEPTH}"),
])
def test_a_jsonl_line_the_cli_cannot_take_names_file_and_line(loaded_url: str, tmp_path: Path, command: str,
                                                             line: str, problem: str) -> None:
    path = tmp_path / "documents.jsonl"
    path.write_text('{"id": "ok", "text": "Stepanakert"}\n' + line + "\n", encoding="utf-8")
    extra = ["--format", "jsonl"] if command == "annotate" else []
    code, _, errors, _ = _cli(loaded_url, tmp_path, command, str(path), *extra)
    assert code == 1 and "Traceback" not in errors, errors[-2000:]
    assert errors.startswith(f"error: {path}:2: {problem}"), errors[-2000:]


def test_the_library_rejects_a_text_with_a_lone_surrogate(gazetteer: Gazetteer) -> None:
    """(The Python API, under the CLI and the HTTP API: the one place that decides.)"""
    with pytest.raises(InvalidInput, match=r"lone surrogate \(U\+D800\) at offset 5"):
        gazetteer.annotate("Baku \ud800")
    with pytest.raises(InvalidInput, match="lone surrogate"):
        gazetteer.report("\udfff Baku")
    with pytest.raises(InvalidInput, match="lone surrogate"):
        list(gazetteer.annotate_many(["Baku", "Yerevan \ud800"]))
    assert [m.id for m in gazetteer.annotate("\U0001f600 Baku")] == ["baku"]  # a character outside the BMP is fine


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the peak memory is read from /proc (Linux)")
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_annotate_writes_very_many_mentions_in_bounded_memory(loaded_url: str, tmp_path: Path, fmt: str) -> None:
    """40,000 mentions: 28 to 40 MB of JSON, which took 173 to 385 MB more memory than one mention
    when the answer was made whole before it was written; now the mentions themselves, about 50 MB."""
    tiny, big = tmp_path / "tiny.txt", tmp_path / "big.txt"
    tiny.write_text("Baku ", encoding="utf-8")
    big.write_text("Baku " * 40_000, encoding="utf-8")
    code, _, errors, base = _cli(loaded_url, tmp_path, "annotate", "--format", fmt, str(tiny))
    assert code == 0, errors
    code, output, errors, peak = _cli(loaded_url, tmp_path, "annotate", "--format", fmt, str(big))
    assert code == 0, errors
    answer = json.loads(output.read_text(encoding="utf-8"))
    assert answer["id"] == str(big) and len(answer["mentions"]) == 40_000
    assert answer["mentions"][-1]["start"] == 5 * 39_999 and answer["mentions"][-1]["id"] == "baku"
    assert peak - base < 120, f"{peak:.0f} MB at the peak, {base:.0f} MB for one mention"
