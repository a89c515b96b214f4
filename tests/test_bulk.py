"""Bulk annotation on a local Dask cluster of two worker processes: the Parquet output equals a
single-process run row for row, survives a worker killed mid-job, skips malformed inputs with
FILE:LINE, resumes only what is missing; and the `gazetteer bulk` command."""

from __future__ import annotations

import gzip
import json
import os
import signal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gazetteer import Gazetteer, InvalidOption, bulk
from gazetteer.cli import main

from .conftest import SEEDS

# The bulk tests run on SQLite (the workers read the test database's file in place).
pytestmark = pytest.mark.parametrize("loaded_url", ["sqlite"], indirect=True)

SEED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
EXTRA = ["Shelling hit Stepanakert, which Azeris call Khankendi.", "Kyiv, not Kiev, said the ministry.",
         "Derry City Council met in Londonderry.", "No place at all here.", "", "Ханкенди и Степанакерт"]


@pytest.fixture()
def warm(gazetteer: Gazetteer) -> Gazetteer:
    """The test database's index and tagger, built here first: the workers then open its snapshot."""
    gazetteer.searcher().tagger()
    return gazetteer


@pytest.fixture(scope="module")
def client() -> Any:
    """A local cluster of two worker processes with one thread each (shared by the tests here)."""
    with bulk.dask_client(workers=2, dashboard_address=":0") as dask:
        yield dask


def _paragraphs() -> list[str]:
    return [p for text in SEED_TEXTS for p in text.split("\n\n") if p.strip()] + EXTRA


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every input kind: JSONL (with and without ids and dates), gzipped JSONL, Parquet, a folder of
    text files (one gzipped) and a text file named on its own."""
    root = tmp_path_factory.mktemp("corpus")
    paragraphs = _paragraphs()
    lines = []
    for number, text in enumerate(paragraphs):
        document: dict[str, Any] = {"text": text}
        if number % 3:
            document["id"] = f"p{number}"
        if number % 4 == 1:
            document["date"] = "1980-05-01" if number % 8 == 1 else 2024
        lines.append(json.dumps(document, ensure_ascii=False))
    (root / "a.jsonl").write_text("\n".join(lines[:20]) + "\n\n", encoding="utf-8")
    with gzip.open(root / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[20:]) + "\n")
    pq.write_table(pa.table({"id": [f"q{n}" for n in range(6)], "text": paragraphs[:6],
                             "date": [None, "1985", None, "2023-02", None, None]}), root / "c.parquet")
    folder = root / "texts"
    (folder / "sub").mkdir(parents=True)
    (folder / "one.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    with gzip.open(folder / "sub" / "two.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write(SEED_TEXTS[1])
    (folder / ".hidden").write_text("Baku", encoding="utf-8")
    return {"root": root,
            "inputs": [str(root / "*.jsonl*"), str(root / "c.parquet"), str(folder), str(SEEDS / "000_adc95b6c9db2056a.txt")]}


def _documents(inputs: list[str]) -> list[dict[str, Any]]:
    """The documents of the inputs as the reader gives them (checked against hand-made ids below)."""
    items = list(bulk.read_documents(bulk.expand_inputs(inputs)))
    assert not [item for item in items if isinstance(item, bulk.Skipped)]
    return items  # type: ignore[return-value]


def _expected(gazetteer: Gazetteer, documents: list[dict[str, Any]]) -> tuple[list[tuple], list[tuple]]:
    """The rows of a single-process run: Gazetteer.annotate and Gazetteer.report per document."""
    mentions, docs = [], []
    for document in documents:
        found = gazetteer.annotate(document["text"], date=document["date"])
        report = gazetteer.report(document["text"], date=document["date"])
        for m in found:
            c = m.claim
            mentions.append((document["id"], m.start, m.end, m.surface, m.id, m.label, m.lat, m.lon, m.kind, m.country,
                             c.name, c.lang, c.kind, list(c.holders), c.valid_from, c.valid_to, m.mention_type,
                             m.nested, m.score))
        docs.append((document["id"], document["source"], document["date"], len(document["text"]), len(found),
                     report.mentions, report.unattributed,
                     [{"holder": u.holder, "mentions": u.mentions} for u in report.holders],
                     [p.id for p in report.named_two_ways]))
    return sorted(mentions, key=lambda r: r[:3]), sorted(docs, key=lambda r: r[0])


def _output(directory: Path) -> tuple[list[tuple], list[tuple]]:
    mentions = pq.read_table(directory / "mentions")
    documents = pq.read_table(directory / "documents")
    assert mentions.schema.equals(bulk.MENTIONS_SCHEMA) and documents.schema.equals(bulk.DOCUMENTS_SCHEMA)
    m_rows = [tuple(row.values()) for row in mentions.to_pylist()]
    d_rows = [tuple(row.values()) for row in documents.to_pylist()]
    return sorted(m_rows, key=lambda r: r[:3]), sorted(d_rows, key=lambda r: r[0])


def _manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / bulk.MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_parquet_equals_one_process(loaded_url: str, warm: Gazetteer, client: Any, corpus: dict[str, Any],
                                    tmp_path: Path) -> None:
    documents = _documents(corpus["inputs"])
    ids = [d["id"] for d in documents]
    root = corpus["root"]
    assert f"{root / 'a.jsonl'}:1" in ids and "p1" in ids and "q0" in ids  # default ids are FILE:LINE
    assert "one.txt" in ids and "sub/two.txt.gz" in ids and ".hidden" not in ids
    assert str(SEEDS / "000_adc95b6c9db2056a.txt") in ids
    assert {d["date"] for d in documents} >= {1980, 1985, 2023, 2024}
    summary = bulk.bulk_annotate(corpus["inputs"], tmp_path / "out", client=client, database_url=loaded_url,
                                 partition_size=7)
    assert summary.complete and not summary.failed and summary.skipped == 0
    assert summary.partitions == summary.partitions_tagged == -(-len(documents) // 7)
    expected_mentions, expected_documents = _expected(warm, documents)
    assert any(r[2] == 1980 and r[4] for r in expected_documents)  # dated documents with mentions are in
    got_mentions, got_documents = _output(tmp_path / "out")
    assert got_documents == expected_documents
    assert got_mentions == expected_mentions
    assert summary.mentions == len(expected_mentions) > 100
    manifest = _manifest(tmp_path / "out")
    assert manifest["complete"] and manifest["partitions_total"] == summary.partitions
    # every partition file is listed, and nothing else (no temporary files) is in the output
    listed = sorted(f for entry in manifest["partitions"].values() for f in entry["files"])
    assert listed == sorted(f"{t}/{p.name}" for t in bulk.TABLES for p in (tmp_path / "out" / t).iterdir())


def _big_corpus(directory: Path, documents: int, copies: int) -> Path:
    """Documents of ``copies`` seed articles each: a partition of two takes long enough to kill a worker in."""
    path = directory / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number in range(documents):
            text = f"Part {number}.\n\n" + "\n\n".join(SEED_TEXTS * (copies // 2))
            handle.write(json.dumps({"id": f"big{number:02d}", "text": text}, ensure_ascii=False) + "\n")
    return path


def test_worker_killed_mid_job(loaded_url: str, warm: Gazetteer, client: Any, tmp_path: Path) -> None:
    source = _big_corpus(tmp_path, documents=12, copies=70)
    job = bulk.BulkJob.prepare([source], tmp_path / "out", database_url=loaded_url, partition_size=2)
    killed: list[int] = []

    def progress(state: bulk.Progress) -> None:
        if killed:
            return
        pids = client.run(os.getpid)  # {worker address: pid}
        busy = [address for address, keys in client.processing().items() if keys]
        assert busy, "no worker was busy: the partitions are too short for this test"
        killed.append(pids[busy[0]])
        os.kill(killed[0], signal.SIGKILL)  # the worker process ends; its nanny starts another

    try:
        summary = job.run(client, progress=progress)
    finally:
        job.close()
    assert killed and killed[0] not in client.run(os.getpid).values()
    assert summary.complete and not summary.failed and summary.partitions == 6
    documents = _documents([str(source)])
    expected_mentions, expected_documents = _expected(warm, documents)
    got_mentions, got_documents = _output(tmp_path / "out")
    assert [r[0] for r in got_documents] == [f"big{n:02d}" for n in range(12)]  # each document once
    assert not [p for t in bulk.TABLES for p in (tmp_path / "out" / t).iterdir() if p.name.startswith(".")]
    assert got_documents == expected_documents
    assert got_mentions == expected_mentions


@pytest.mark.parametrize("ship", [False, True], ids=["workers-read", "driver-ships"])
def test_malformed_lines_are_reported_and_the_rest_tagged(loaded_url: str, warm: Gazetteer, client: Any,
                                                          tmp_path: Path, ship: bool) -> None:
    """Both ways of feeding the workers: each reads its slice of the inputs and writes its files (the
    default), or the driver sends the documents and writes the Parquet bytes sent back (``ship_data``,
    with the SQLite file and its index snapshot shipped too, as for a remote scheduler). Partitions of
    three lines: the repeated id is in a later partition than the first one."""
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"id": "good1", "text": "Shelling hit Stepanakert."}).encode(),
             b'{"id": "broken", "text": "Baku"',  # not JSON
             json.dumps({"id": "notext"}).encode(),  # no text
             b'{"id": "lone", "text": "a lone \\ud800 surrogate"}',  # not encodable as UTF-8
             b'{"id": "latin1", "text": "caf\xe9 in Baku"}',  # not UTF-8
             json.dumps({"id": "baddate", "text": "Kyiv", "date": "2024-13"}).encode(),
             b"[1, 2]",
             json.dumps({"id": "good2", "text": "Kyiv and Kiev", "date": 2005}).encode(),
             json.dumps({"id": "good1", "text": "again"}).encode()]  # duplicate id
    path.write_bytes(b"\n".join(lines) + b"\n")
    reported: list[str] = []
    summary = bulk.bulk_annotate([path], tmp_path / "out", client=client, database_url=loaded_url, ship_database=ship,
                                 ship_data=ship, partition_size=3, on_skip=lambda item: reported.append(str(item)))
    assert reported == [
        f"{path}:2: not JSON: Expecting ',' delimiter (column 32)",
        f'{path}:3: no "text" string',
        f"{path}:4: text has a lone surrogate (U+D800) at offset 7: not encodable as UTF-8",
        f"{path}:5: not UTF-8 (invalid byte at byte 30 of the line)",
        f'{path}:6: bad "date": date must be a year or an ISO date (YYYY, YYYY-MM, YYYY-MM-DD), not \'2024-13\'',
        f"{path}:7: not a JSON object but list",
        f"{path}:9: duplicate id 'good1': an earlier document has it",
    ]
    assert summary.complete and summary.skipped == 7 and summary.documents == 2
    if ship:
        assert all(names for names in client.run(_shipped).values())  # each worker opened its own copy
    manifest = _manifest(tmp_path / "out")
    assert [f"{s['source']}: {s['reason']}" for s in manifest["skipped"]] == reported
    assert manifest["skipped_count"] == 7 and manifest["partitions_total"] == 3
    assert manifest["partitions"]["2"]["skipped"] == [[f"{path}:7", "not a JSON object but list"],
                                                      [f"{path}:9", "duplicate id 'good1': an earlier document has it"]]
    # resumed after the last partition is lost: its skipped inputs come back in order, the repeated id too
    del manifest["partitions"]["2"]
    (tmp_path / "out" / bulk.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    again: list[str] = []
    summary = bulk.bulk_annotate([path], tmp_path / "out", client=client, database_url=loaded_url, ship_database=ship,
                                 ship_data=ship, partition_size=3, resume=True, on_skip=lambda item: again.append(str(item)))
    assert again == reported and summary.partitions_tagged == 1 and summary.documents == 2
    got_mentions, got_documents = _output(tmp_path / "out")
    assert [r[0] for r in got_documents] == ["good1", "good2"]
    assert got_documents[1][2] == 2005
    good = [{"id": "good1", "text": "Shelling hit Stepanakert.", "date": bulk.text_year(None), "source": f"{path}:1"},
            {"id": "good2", "text": "Kyiv and Kiev", "date": 2005, "source": f"{path}:8"}]
    assert (got_mentions, got_documents) == _expected(warm, good)


def _shipped(dask_worker: Any) -> list[str]:
    return sorted(p.name for p in Path(dask_worker.local_directory).glob("gazetteer-*.sqlite3"))


def test_resume_does_only_what_is_missing(loaded_url: str, warm: Gazetteer, client: Any, corpus: dict[str, Any],
                                          tmp_path: Path) -> None:
    out = tmp_path / "out"

    class Stop(Exception):
        pass

    def stop_after_two(state: bulk.Progress) -> None:
        if state.partitions_tagged == 2:
            raise Stop

    with pytest.raises(Stop):
        bulk.bulk_annotate(corpus["inputs"], out, client=client, database_url=loaded_url, partition_size=5,
                           progress=stop_after_two)
    manifest = _manifest(out)
    assert not manifest["complete"] and len(manifest["partitions"]) == 2
    with pytest.raises(InvalidOption, match="not empty"):  # without --resume a run does not mix with it
        bulk.BulkJob.prepare(corpus["inputs"], out, database_url=loaded_url, partition_size=5)
    with pytest.raises(InvalidOption, match="partition_size"):  # nor with other options
        bulk.BulkJob.prepare(corpus["inputs"], out, database_url=loaded_url, partition_size=6, resume=True)

    summary = bulk.bulk_annotate(corpus["inputs"], out, client=client, database_url=loaded_url, partition_size=5,
                                 resume=True)
    total = summary.partitions
    assert summary.complete and summary.partitions_tagged == total - 2
    first = _output(out)

    # A run stopped after writing a partition's files but before recording them: the files are not in
    # the manifest; a resumed run removes them and redoes that partition only.
    manifest = _manifest(out)
    del manifest["partitions"]["3"]
    (out / "documents" / "part-00003.parquet").unlink()
    (out / bulk.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "mentions" / ".part-00001.parquet.123.tmp").write_bytes(b"half")  # a temporary file left behind
    summary = bulk.bulk_annotate(corpus["inputs"], out, client=client, database_url=loaded_url, partition_size=5,
                                 resume=True)
    assert summary.complete and summary.partitions_tagged == 1 and summary.partitions == total
    assert _output(out) == first
    assert not [p for t in bulk.TABLES for p in (out / t).iterdir() if p.name.startswith(".")]

    # --overwrite starts again
    summary = bulk.bulk_annotate(corpus["inputs"], out, client=client, database_url=loaded_url, partition_size=5,
                                 overwrite=True)
    assert summary.partitions_tagged == total and _output(out) == first


def test_annotate_partition_is_a_plain_function(gazetteer: Gazetteer, loaded_url: str) -> None:
    """What a Spark mapPartitions (or any loop) calls: documents in, two Arrow tables out."""
    documents = [{"id": "x", "text": "Shelling hit Xankəndi."}, {"id": 7, "text": "Khankendi", "date": 1980}]
    mentions, docs = bulk.annotate_partition(gazetteer, documents)
    assert mentions.column("document_id").to_pylist() == ["x", "7"]
    assert mentions.column("place_id").to_pylist() == ["stepanakert", "stepanakert"]
    assert docs.column("year").to_pylist() == [bulk.text_year(None), 1980]
    errors: list[Any] = []
    mentions, docs = bulk.annotate_partition(gazetteer, [{"id": "bad", "text": 3}, documents[0]],
                                             on_error=lambda d, e: errors.append(d["id"]))
    assert errors == ["bad"] and docs.column("id").to_pylist() == ["x"]


def test_cli(loaded_url: str, warm: Gazetteer, tmp_path: Path) -> None:
    runner = CliRunner()
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    out = tmp_path / "out"
    result = runner.invoke(main, ["--database-url", loaded_url, "bulk", *seeds, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "dashboard" in result.stderr and "2 worker(s)" in result.stderr
    assert "2 documents" in result.stdout
    documents = pq.read_table(out / "documents")
    assert sorted(documents.column("id").to_pylist()) == seeds
    assert pq.read_table(out / "mentions").num_rows == sum(documents.column("mentions").to_pylist()) > 0

    again = runner.invoke(main, ["--database-url", loaded_url, "bulk", *seeds, "--output", str(out)])
    assert again.exit_code == 2 and "--resume" in again.stderr and "Traceback" not in again.output
    resumed = runner.invoke(main, ["--database-url", loaded_url, "bulk", *seeds, "--output", str(out), "--resume"])
    assert resumed.exit_code == 0 and "(0 tagged now)" in resumed.stdout

    nothing = runner.invoke(main, ["--database-url", loaded_url, "bulk", str(tmp_path / "none" / "*.jsonl"),
                                   "--output", str(tmp_path / "o2")])
    assert nothing.exit_code == 2 and "no input matches" in nothing.stderr and "Traceback" not in nothing.output
    unreachable = runner.invoke(main, ["--database-url", loaded_url, "bulk", *seeds, "--output", str(tmp_path / "o3"),
                                       "--scheduler", "tcp://127.0.0.1:9", "--timeout", "1"])
    assert unreachable.exit_code == 2 and "cannot reach the Dask scheduler" in unreachable.stderr
    assert "Traceback" not in unreachable.output


def test_reader_reports_bad_rows_and_files(loaded_url: str, tmp_path: Path) -> None:
    """Parquet rows, text files and gzip streams that cannot be read are reported as FILE:ROW / FILE:LINE too."""
    pq.write_table(pa.table({"id": ["a", "b", None], "text": ["Baku", None, "Kyiv"]}), tmp_path / "t.parquet")
    pq.write_table(pa.table({"body": ["Baku"]}), tmp_path / "no-text.parquet")
    (tmp_path / "latin1.txt").write_bytes(b"Baku\nYerevan caf\xe9\n")
    items = list(bulk.read_documents(bulk.expand_inputs([str(tmp_path / "*")]), date=1999))
    assert [str(i) if isinstance(i, bulk.Skipped) else (i["id"], i["date"]) for i in items] == [
        f"{tmp_path / 'latin1.txt'}:2: not UTF-8 text (invalid byte at offset 16)",
        f'{tmp_path / "no-text.parquet"}: no "text" column (columns: body)',
        ("a", 1999), f'{tmp_path / "t.parquet"}:2: no "text" string', (f"{tmp_path / 't.parquet'}:3", 1999)]

    lines = b"".join(b'{"text": "Baku %d"}\n' % n for n in range(20_000))
    whole = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(whole[:len(whole) // 2])  # a gzip file cut short
    items = list(bulk.read_documents(bulk.expand_inputs([str(tmp_path / "cut.jsonl.gz")])))
    *documents, last = items
    assert 0 < len(documents) < 20_000 and not any(isinstance(i, bulk.Skipped) for i in documents)
    assert isinstance(last, bulk.Skipped) and last.source == f"{tmp_path / 'cut.jsonl.gz'}:{len(documents) + 1}"
    assert last.reason.startswith("cannot read: EOFError")
    with pytest.raises(InvalidOption, match="no input matches"):
        bulk.expand_inputs([str(tmp_path / "*.none")])


def test_partition_slices_read_as_the_whole(loaded_url: str, tmp_path: Path) -> None:
    """The partitions the driver plans (byte ranges of JSONL, row ranges of Parquet, the lines of a gzip
    file, files whole) give the workers the very items read_documents gives, cut every `size` records."""
    lines = [json.dumps({"id": f"j{n}", "text": f"Baku {n}"}) if n % 5 else "" for n in range(40)]
    (tmp_path / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode() + b"\nnot json\n  \n[1]")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:17]) + "\n")
    pq.write_table(pa.table({"text": [f"Kyiv {n}" for n in range(23)]}), tmp_path / "c.parquet", row_group_size=5)
    pq.write_table(pa.table({"body": ["Baku"]}), tmp_path / "d.parquet")
    (tmp_path / "e.txt").write_text("Stepanakert", encoding="utf-8")
    files = bulk.expand_inputs([str(tmp_path / "*")])
    whole = list(bulk.read_documents(files, date=1999))
    for size in (1, 4, 7, 1000):
        plans = list(bulk.plan_partitions(files, size))
        assert [plan.number for plan in plans] == list(range(len(plans)))
        assert all(plan.records == size for plan in plans[:-1]) and 0 < plans[-1].records <= size
        parts = [list(bulk.read_slices(plan.slices, 1999)) for plan in plans]
        assert [len(part) for part in parts] == [plan.records for plan in plans]
        assert [item for part in parts for item in part] == whole
