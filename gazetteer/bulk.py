"""Bulk annotation: a corpus tagged on a Dask cluster and written as partitioned Parquet.

The pieces, each usable on its own:

- ``annotate_partition(gazetteer, documents)`` tags a batch of documents and returns two Arrow tables,
  the mentions and the documents (with the perspective report's counts per holder, made from the same
  mentions). It is a plain function: Spark's ``mapPartitions``, a multiprocessing pool or a loop can
  call it as well as Dask.
- ``read_documents`` reads JSONL, Parquet, text files and folders of them (gzip too), and reports each
  input it cannot take as ``FILE:LINE: reason`` instead of stopping.
- ``GazetteerPlugin`` is a Dask worker plugin that opens the gazetteer and builds the tagger once per
  worker: from the database URL (PostgreSQL shared by all), or from the SQLite file it carries to
  workers that do not share the driver's disk.
- ``plan_partitions`` cuts the inputs into partitions of records without parsing them (byte ranges of
  JSONL, row ranges of Parquet), and ``read_slices`` reads a partition's slices where it is tagged.
- ``BulkJob`` plans a run (inputs, output directory, manifest) and runs it on a Dask client or in this
  process. A task is its partition's slices: the worker reads them, tags them and writes the Parquet
  files itself, each to a temporary name unique to the attempt in its directory, fsynced and renamed
  into place (or, with ``ship_data``, the driver sends the documents and writes the bytes sent back).
  The driver records a partition in ``manifest.json`` (written the same way) only once its files are in
  place, in input order, so the output never holds a partial or doubled partition and ``resume`` does
  only what is missing (removing the files the manifest does not list).

Output layout::

    OUTPUT/manifest.json                   the run: options, inputs, partitions written, inputs skipped
    OUTPUT/mentions/part-00000.parquet     one row per mention (MENTIONS_SCHEMA)
    OUTPUT/documents/part-00000.parquet    one row per document (DOCUMENTS_SCHEMA)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import WorkerPlugin
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from .config import Settings
from .core import DateLike, Gazetteer, NearLike, text_year
from .errors import GazetteerError, InvalidInput, InvalidOption
from .inputs import surrogate_problem
from .report import perspective_report
from .results import Mention

if TYPE_CHECKING:
    from distributed import Client, Future

try:
    import fcntl
except ImportError:  # not on Windows: the output directory is then not locked against a second run
    fcntl = None  # type: ignore[assignment]

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "gazetteer-bulk/2"  # 2: partitions of input records, files written by the workers
TABLES = ("mentions", "documents")
PLUGIN_NAME = "gazetteer-bulk"
DEFAULT_PARTITION_SIZE = 1000
MAX_SKIPPED_LISTED = 10_000  # inputs skipped, listed in the manifest (all are counted)

MENTIONS_SCHEMA = pa.schema([
    ("document_id", pa.string()),
    ("start", pa.int64()),  # Python str offsets into the document's text, end exclusive
    ("end", pa.int64()),
    ("surface", pa.string()),  # the text as written
    ("place_id", pa.string()),
    ("label", pa.string()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("place_kind", pa.string()),
    ("country", pa.string()),
    ("name", pa.string()),  # the name claim the surface stands for at the document's date
    ("lang", pa.string()),
    ("name_kind", pa.string()),
    ("holders", pa.list_(pa.string())),
    ("valid_from", pa.int32()),
    ("valid_to", pa.int32()),
    ("mention_type", pa.string()),  # toponym, demonym or metonym
    ("nested", pa.bool_()),
    ("score", pa.float64()),
])

DOCUMENTS_SCHEMA = pa.schema([
    ("id", pa.string()),
    ("source", pa.string()),  # FILE:LINE (JSONL), FILE:ROW (Parquet) or FILE (a text file)
    ("year", pa.int32()),  # the date the names were read at
    ("characters", pa.int64()),
    ("mentions", pa.int64()),  # every mention, nested and demonyms included
    ("report_mentions", pa.int64()),  # the ones the perspective report counts (not nested, not demonyms)
    ("unattributed", pa.int64()),  # of those, mentions whose name no holder is recorded to use
    ("holders", pa.list_(pa.struct([("holder", pa.string()), ("mentions", pa.int64())]))),
    ("named_two_ways", pa.list_(pa.string())),  # place ids the document names more than one way
])

Document = dict[str, Any]  # {"id", "text", and optionally "date" and "source"}


# -- one partition ------------------------------------------------------------------------------
def annotate_partition(gazetteer: Gazetteer, documents: Iterable[Mapping[str, Any]], *, demonyms: bool = False,
                       date: DateLike = None, near: NearLike = None,
                       on_error: Callable[[Mapping[str, Any], Exception], None] | None = None,
                       ) -> tuple[pa.Table, pa.Table]:
    """Tag ``documents`` and return ``(mentions, documents)`` as Arrow tables (``MENTIONS_SCHEMA``,
    ``DOCUMENTS_SCHEMA``), in the documents' order and each document's mentions in text order.

    A document is a mapping with an ``"id"`` and a ``"text"``, and optionally a ``"date"`` (as for
    ``Gazetteer.annotate``; else ``date``, else today) and a ``"source"`` (where it was read). Each
    document's row carries the perspective report's counts, made from the same mentions (not tagged
    twice). With ``on_error``, a document that cannot be tagged is passed to it with the exception and
    left out; without, the exception propagates."""
    searcher = gazetteer.searcher()
    point = gazetteer.near_point(near)
    default_year = text_year(date)
    m_cols: dict[str, list[Any]] = {name: [] for name in MENTIONS_SCHEMA.names}
    d_cols: dict[str, list[Any]] = {name: [] for name in DOCUMENTS_SCHEMA.names}
    for document in documents:
        try:
            text = document["text"]
            if not isinstance(text, str):
                raise InvalidInput("text must be a string")
            own = document.get("date")
            year = default_year if own is None else text_year(own)
            mentions = searcher.annotate(text, demonyms, year=year, near=point)
            report = perspective_report(searcher.labeller, mentions, year)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(document, exc)
            continue
        document_id = str(document["id"])
        _mention_rows(m_cols, document_id, mentions)
        d_cols["id"].append(document_id)
        d_cols["source"].append(document.get("source"))
        d_cols["year"].append(year)
        d_cols["characters"].append(len(text))
        d_cols["mentions"].append(len(mentions))
        d_cols["report_mentions"].append(report.mentions)
        d_cols["unattributed"].append(report.unattributed)
        d_cols["holders"].append([{"holder": use.holder, "mentions": use.mentions} for use in report.holders])
        d_cols["named_two_ways"].append([place.id for place in report.named_two_ways])
    return (pa.table(m_cols, schema=MENTIONS_SCHEMA), pa.table(d_cols, schema=DOCUMENTS_SCHEMA))


def _mention_rows(cols: dict[str, list[Any]], document_id: str, mentions: list[Mention]) -> None:
    (document_ids, starts, ends, surfaces, place_ids, labels, lats, lons, place_kinds, countries, names, langs,
     name_kinds, holders, valid_froms, valid_tos, mention_types, nested, scores) = (cols[name] for name in
                                                                                   MENTIONS_SCHEMA.names)
    document_ids.extend([document_id] * len(mentions))
    for m in mentions:
        claim = m.claim
        starts.append(m.start)
        ends.append(m.end)
        surfaces.append(m.surface)
        place_ids.append(m.id)
        labels.append(m.label)
        lats.append(m.lat)
        lons.append(m.lon)
        place_kinds.append(m.kind)
        countries.append(m.country)
        names.append(claim.name)
        langs.append(claim.lang)
        name_kinds.append(claim.kind)
        holders.append(list(claim.holders))
        valid_froms.append(claim.valid_from)
        valid_tos.append(claim.valid_to)
        mention_types.append(m.mention_type)
        nested.append(m.nested)
        scores.append(m.score)


PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd"}


def parquet_bytes(table: pa.Table) -> bytes:
    """A table as the bytes of a Parquet file (zstd), to send back from a worker and write as is."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, **PARQUET_OPTIONS)
    return sink.getvalue().to_pybytes()  # type: ignore[no-any-return]


def _tag_partition(gazetteer: Gazetteer, number: int, work: Sequence[Slice] | Sequence[Document | Skipped],
                   options: Mapping[str, Any]) -> dict[str, Any]:
    """One partition tagged: read from its slices (when ``options["output"]`` is set) or given as the documents and
    skipped inputs the driver read, and written into ``options["output"]`` (then only small metadata is
    returned) or returned as Parquet bytes for the driver to write.

    The metadata: ``docs`` ((id, source) of each document read, in order), ``skipped`` ((documents read
    before it, source, reason) in order, duplicate ids within the partition included; the driver finds
    those that repeat an earlier partition's), the row counts and the data version."""
    start = time.perf_counter()
    output = options.get("output")
    items: Iterable[Document | Skipped] = read_slices(work, options["year"]) if output is not None else work  # type: ignore[arg-type,assignment]
    documents, docs, skipped = _sort_items(items)
    positions = {source: position for position, (_, source) in enumerate(docs)}

    def on_error(document: Mapping[str, Any], exc: Exception) -> None:
        where = document.get("source") or str(document.get("id"))
        skipped.append((positions.get(where, len(docs)) + 1, where,
                        f"could not be tagged: {type(exc).__name__}: {exc}"))

    mentions, tagged = annotate_partition(gazetteer, documents, demonyms=options["demonyms"], near=options["near"],
                                          on_error=on_error)
    skipped.sort(key=lambda entry: entry[0])  # (stable: reading order within a position)
    result = {"number": number, "docs": docs, "skipped": skipped, "mention_rows": mentions.num_rows,
              "characters": sum(tagged.column("characters").to_pylist()),
              "document_rows": tagged.num_rows, "data_version": gazetteer.data_version()}
    if output is None:
        result["mentions"], result["documents"] = parquet_bytes(mentions), parquet_bytes(tagged)
    else:
        for table, data in (("mentions", mentions), ("documents", tagged)):
            write_parquet_atomic(Path(output) / table / _part_name(number), data)
    result["seconds"] = time.perf_counter() - start
    return result


def _sort_items(items: Iterable[Document | Skipped]
                ) -> tuple[list[Document], list[tuple[str, str]], list[tuple[int, str, str]]]:
    """A partition's documents; their (id, source); the skipped inputs as (documents before it, source,
    reason), a document whose id came earlier in the partition among them."""
    documents: list[Document] = []
    docs: list[tuple[str, str]] = []
    skipped: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Skipped):
            skipped.append((len(docs), item.source, item.reason))
        elif item["id"] in seen:
            skipped.append((len(docs), item["source"], f"duplicate id {item['id']!r}: an earlier document has it"))
        else:
            seen.add(item["id"])
            docs.append((item["id"], item["source"]))
            documents.append(item)
    return documents, docs, skipped


def write_parquet_atomic(path: Path, table: pa.Table) -> None:
    """Write ``table`` as the Parquet file ``path`` whole or not at all (see ``write_atomic``; the
    temporary name is unique to the attempt, so that two attempts at one partition never clash and the
    last one to finish replaces the other's identical file)."""
    write_atomic(path, lambda handle: pq.write_table(table, handle, **PARQUET_OPTIONS))


def _dask_task(number: int, work: list[Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """The task a Dask worker runs: the partition, on the gazetteer its plugin opened."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, GazetteerPlugin):
        raise RuntimeError(f"the worker has no {PLUGIN_NAME!r} plugin: it was not registered on this cluster")
    output = options.get("output")
    if output is not None and not Path(output, "documents").is_dir():
        raise RuntimeError(f"this worker does not see the output directory {output}: the inputs and the output must "
                           "be on storage the workers share at the same paths (else ship the data)")
    return _tag_partition(plugin.gazetteer(), number, work, options)


# -- the worker plugin ---------------------------------------------------------------------------
class GazetteerPlugin(WorkerPlugin):
    """Opens the gazetteer and loads or builds its indexes and tagger once per worker.

    ``database_url`` is opened as is (PostgreSQL; or a SQLite file all workers can read). With
    ``database`` (a SQLite file's bytes, zlib-compressed; see ``for_database``) the file travels with the
    plugin, like Dask's own ``UploadFile`` plugin, and each worker writes it into its local directory
    and opens that; the index snapshot built from it travels along when there is one, so that the
    workers open it instead of building their own. The build runs in a thread, so that the worker keeps
    answering the scheduler; a task that arrives before it is done waits for it."""

    def __init__(self, database_url: str, database: bytes | None = None, snapshot: bytes | None = None) -> None:
        self.database_url = database_url
        self.database = database
        self.snapshot = snapshot  # the database's index snapshot (a zlib-compressed tar), when it has one
        self._init_state()

    def _init_state(self) -> None:
        self._lock = threading.Lock()
        self._gazetteer: Gazetteer | None = None
        self._directory: str | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"database_url": self.database_url, "database": self.database, "snapshot": self.snapshot}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_state()

    @classmethod
    def for_database(cls, database_url: str, ship: bool) -> GazetteerPlugin:
        """The plugin for ``database_url``; with ``ship`` a SQLite database travels with it."""
        path = sqlite_path(database_url)
        if not ship or path is None:
            return cls(database_url)
        snapshot = None
        root = Settings.from_env(database_url=database_url).snapshot_root
        if root.is_dir():  # the index built from it: the workers open it instead of building their own
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w") as tar:
                tar.add(root, arcname=".")
            snapshot = zlib.compress(buffer.getvalue(), 1)
        return cls(database_url, zlib.compress(_sqlite_copy(path), 1), snapshot)

    def setup(self, worker: Any) -> Any:
        self._directory = worker.local_directory
        return asyncio.to_thread(self.gazetteer)  # awaited by the worker; registration waits for it

    def teardown(self, worker: Any) -> None:
        if self._lock.acquire(blocking=False):  # (a build still going on is left to finish and be dropped)
            try:
                if self._gazetteer is not None:
                    self._gazetteer.close()
                    self._gazetteer = None
            finally:
                self._lock.release()

    def gazetteer(self) -> Gazetteer:
        """This worker's gazetteer, opened (and its tagger built) on first use."""
        with self._lock:
            if self._gazetteer is None:
                url = self.database_url
                if self.database is not None:
                    url = self._write_database()
                gazetteer = Gazetteer.open(url)
                gazetteer.searcher().tagger()
                self._gazetteer = gazetteer
            return self._gazetteer

    def _write_database(self) -> str:
        data = zlib.decompress(self.database or b"")
        directory = Path(self._directory or tempfile.gettempdir())
        target = directory / f"gazetteer-{hashlib.sha256(data).hexdigest()[:16]}.sqlite3"
        if not target.exists():
            write_atomic(target, data)
        url = f"sqlite:///{target}"
        if self.snapshot is not None:
            self._write_snapshot(Settings.from_env(database_url=url).snapshot_root)
        self.database = self.snapshot = None  # the files are written: the worker need not keep the bytes
        self.database_url = url
        return url

    def _write_snapshot(self, root: Path) -> None:
        """Unpack the shipped index snapshot where this worker's gazetteer looks for it (unless one is
        there). Whatever goes wrong, the gazetteer builds its own instead."""
        if root.exists():
            return
        unpacked = root.with_name(f".{root.name}.{os.getpid()}.tmp")
        try:
            root.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(fileobj=io.BytesIO(zlib.decompress(self.snapshot or b"")), mode="r") as tar:
                tar.extractall(unpacked, filter="data")
            os.replace(unpacked, root)
        except (OSError, tarfile.TarError, zlib.error):
            shutil.rmtree(unpacked, ignore_errors=True)


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL (None for any other database). Raises ``InvalidOption`` for a SQLite
    database in memory, which workers cannot share."""
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise InvalidOption(f"not a database URL: {database_url!r}") from exc
    if not url.drivername.startswith("sqlite"):
        return None
    if not url.database or url.database == ":memory:":
        raise InvalidOption("an in-memory SQLite database cannot be shared with workers: use a file or PostgreSQL")
    return Path(url.database).expanduser().resolve()


def absolute_database_url(database_url: str) -> str:
    """``database_url`` with a SQLite file's path made absolute (workers need not share the cwd)."""
    path = sqlite_path(database_url)
    if path is None:
        return database_url
    return make_url(database_url).set(database=str(path)).render_as_string(hide_password=False)


def _sqlite_copy(path: Path) -> bytes:
    """A consistent copy of a SQLite database file (through SQLite's backup API)."""
    if not path.is_file():
        raise InvalidOption(f"no SQLite database at {path}")
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "copy.sqlite3"
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return copy.read_bytes()


# -- reading inputs ------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Skipped:
    """An input that could not be taken: ``source`` is ``FILE:LINE`` (or ``FILE`` for a whole file)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclasses.dataclass(frozen=True)
class InputFile:
    """A file to read: ``kind`` is jsonl, parquet or text; ``id`` the document id of a text file."""

    path: Path
    kind: str
    id: str


_MAGIC = re.compile(r"[*?[]")


def _kind(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return "text"


def expand_inputs(patterns: Sequence[str | Path]) -> list[InputFile]:
    """The files named by ``patterns``: files, folders (every file in them, recursively, but hidden
    ones; the id of each is its path relative to the folder) and globs (``**`` included). Raises
    ``InvalidOption`` for a pattern that matches nothing."""
    if not patterns:
        raise InvalidOption("no inputs given")
    files: list[InputFile] = []
    seen: set[Path] = set()
    for pattern in map(str, patterns):
        if Path(pattern).exists():
            matched = [Path(pattern)]
        elif _MAGIC.search(pattern):
            matched = [Path(p) for p in sorted(glob.glob(pattern, recursive=True))]
        else:
            raise InvalidOption(f"no input {pattern}: no such file or folder")
        if not matched:
            raise InvalidOption(f"no input matches {pattern}")
        found = []
        for path in matched:
            if path.is_dir():
                found += [InputFile(f, _kind(f), f.relative_to(path).as_posix()) for f in _folder_files(path)]
            elif path.is_file():
                found.append(InputFile(path, _kind(path), str(path)))
        if not found:
            raise InvalidOption(f"no files in {pattern}")
        for file in found:
            key = file.path.resolve()
            if key not in seen:  # a file named twice is read once
                seen.add(key)
                files.append(file)
    return files


def _folder_files(folder: Path) -> list[Path]:
    files = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        files += [Path(directory) / name for name in sorted(names) if not name.startswith(".")]
    return files


def _open_binary(path: Path) -> Any:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115


def _read_error(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot read: {exc.strerror}"
    return f"cannot read: {type(exc).__name__}: {exc}"


_READ_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError


def count_records(files: Iterable[InputFile]) -> int:
    """How many documents the files hold at most (non-blank JSONL lines, Parquet rows, text files): the
    length of the progress bar. Files that cannot be read count for what could be read of them."""
    total = 0
    for file in files:
        if file.kind == "text":
            total += 1
        elif file.kind == "jsonl":
            with contextlib.suppress(*_READ_ERRORS), _open_binary(file.path) as handle:
                for line in handle:
                    if line.strip():
                        total += 1
        else:
            with contextlib.suppress(*_READ_ERRORS, pa.ArrowException):
                total += _parquet_file(file.path).metadata.num_rows
    return total


def _parquet_file(path: Path) -> pq.ParquetFile:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            return pq.ParquetFile(pa.BufferReader(handle.read()))
    return pq.ParquetFile(path)


def read_documents(files: Iterable[InputFile], date: DateLike = None) -> Iterator[Document | Skipped]:
    """Each document of the files in order, as ``{"id", "text", "date" (a year), "source"}``, or a
    ``Skipped`` for an input it cannot take: a line that is not UTF-8 or not JSON, an object without
    a ``"text"`` string, a lone surrogate (not encodable as UTF-8, so not storable in Parquet), a bad
    ``"id"`` or ``"date"``, a file that cannot be read. A document without an id is named by where
    it is (``FILE:LINE``, ``FILE:ROW``); the date of one without its own is ``date`` (else this year)."""
    year = text_year(date)
    for file in files:
        if file.kind == "jsonl":
            yield from _read_jsonl(file.path, year)
        elif file.kind == "parquet":
            yield from _read_parquet(file.path, year)
        else:
            yield from _read_text(file, year)


def _document(source: str, document_id: Any, text: Any, date: Any, default_year: int) -> Document | Skipped:
    """A document from its fields, or why it cannot be one."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Skipped(source, f"text is not UTF-8 (invalid byte at offset {exc.start})")
    if not isinstance(text, str):
        return Skipped(source, 'no "text" string' if text is None else f'"text" must be a string, not {type(text).__name__}')
    if document_id is None:
        document_id = source
    elif isinstance(document_id, int) and not isinstance(document_id, bool):
        document_id = str(document_id)
    elif not isinstance(document_id, str) or not document_id:
        return Skipped(source, f'"id" must be a non-empty string or an integer, not {document_id!r}')
    for field, value in (("text", text), ("id", document_id)):
        if problem := surrogate_problem(value, field):
            return Skipped(source, problem)
    try:
        year = default_year if date is None else text_year(date)
    except InvalidInput as exc:
        return Skipped(source, f'bad "date": {exc}')
    return {"id": document_id, "text": text, "date": year, "source": source}


def _jsonl_item(raw: bytes, source: str, year: int) -> Document | Skipped:
    """The document of one JSONL line (its bytes, with or without the line end), or why it is none."""
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as exc:
        return Skipped(source, f"not UTF-8 (invalid byte at byte {exc.start + 1} of the line)")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(source, f"not JSON: {exc.msg} (column {exc.pos + 1})")
    except RecursionError:
        return Skipped(source, "not JSON: nested too deeply")
    if not isinstance(value, dict):
        return Skipped(source, f"not a JSON object but {type(value).__name__}")
    return _document(source, value.get("id"), value.get("text"), value.get("date"), year)


def _read_jsonl(path: Path, year: int) -> Iterator[Document | Skipped]:
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):  # noqa: B007 (number is reported on a read error)
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte order mark
                if raw.isspace() or not raw:
                    continue
                yield _jsonl_item(raw, f"{path}:{number}", year)
    except _READ_ERRORS as exc:
        yield Skipped(f"{path}:{number + 1}" if number else str(path), _read_error(exc))


def _read_parquet(path: Path, year: int, name: str | None = None, start: int = 0,
                  stop: int | None = None) -> Iterator[Document | Skipped]:
    """The rows of a Parquet file (rows ``start`` to ``stop``, counted from 0), reported as ``name``."""
    name = str(path) if name is None else name
    row = start
    try:
        parquet = _parquet_file(path)
        names = parquet.schema_arrow.names
        if "text" not in names:
            yield Skipped(name, f'no "text" column (columns: {", ".join(names)})')
            return
        stop = parquet.metadata.num_rows if stop is None else stop
        columns = [column for column in ("id", "text", "date") if column in names]
        first = 0  # the first row of the row group
        for group in range(parquet.metadata.num_row_groups):
            rows = parquet.metadata.row_group(group).num_rows
            if first + rows <= row:
                first += rows
                continue
            if first >= stop:
                break
            table = parquet.read_row_group(group, columns=columns).slice(row - first, stop - row)
            first += rows
            values = {column: table.column(column).to_pylist() for column in columns}
            ids, texts, dates = values.get("id"), values["text"], values.get("date")
            for position in range(table.num_rows):
                row += 1
                yield _document(f"{name}:{row}", ids[position] if ids else None, texts[position],
                                dates[position] if dates else None, year)
    except (*_READ_ERRORS, pa.ArrowException) as exc:
        yield Skipped(f"{name}:{row + 1}" if row else name, _read_error(exc))


def _read_text(file: InputFile, year: int, name: str | None = None) -> Iterator[Document | Skipped]:
    name = str(file.path) if name is None else name
    try:
        with _open_binary(file.path) as handle:
            data = handle.read()
    except _READ_ERRORS as exc:
        yield Skipped(name, _read_error(exc))
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield Skipped(f"{name}:{line}", f"not UTF-8 text (invalid byte at offset {exc.start})")
        return
    yield _document(name, file.id, text, None, year)


# -- partitions as slices of the inputs ----------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Slice:
    """A partition's share of one input, which a worker reads itself: ``kind`` jsonl (bytes ``start`` to
    ``stop`` of the file, its line ``line`` first; or, from a gzip file, the lines themselves in
    ``data``), parquet (rows ``start`` to ``stop``), text (the whole file, document ``id``) or skip (an
    input that cannot be read at all, ``reason`` why)."""

    path: str  # absolute, to open (for skip: the source reported)
    kind: str
    name: str = ""  # the path as given, for sources (FILE:LINE) and ids
    start: int = 0
    stop: int = 0
    line: int = 1
    id: str = ""
    data: bytes | None = None
    reason: str = ""


@dataclasses.dataclass
class PartitionPlan:
    """A partition as the driver plans it: the slices of the inputs it spans and how many input records
    (non-blank JSONL lines, Parquet rows, text files, unreadable inputs) they hold."""

    number: int
    slices: list[Slice]
    records: int


def plan_partitions(files: Iterable[InputFile], size: int) -> Iterator[PartitionPlan]:
    """The inputs cut into partitions of ``size`` records, numbered from 0 in input order, without parsing
    them: a scan for line ends (JSONL), the row counts (Parquet). The same inputs always give the same
    partitions, which is what lets a run be resumed. A gzipped JSONL file cannot be read from the middle:
    its lines travel in the slices."""
    slices: list[Slice] = []
    records = number = 0

    def add(piece: Slice, count: int) -> Iterator[PartitionPlan]:
        nonlocal slices, records, number
        slices.append(piece)
        records += count
        if records >= size:
            yield PartitionPlan(number, slices, records)
            slices, records, number = [], 0, number + 1

    for file in files:
        path, name = str(file.path.absolute()), str(file.path)
        if file.kind == "text":
            yield from add(Slice(path, "text", name, id=file.id), 1)
        elif file.kind == "parquet":
            try:
                parquet = _parquet_file(file.path)
                names = parquet.schema_arrow.names
                rows = parquet.metadata.num_rows
            except (*_READ_ERRORS, pa.ArrowException) as exc:
                yield from add(Slice(name, "skip", reason=_read_error(exc)), 1)
                continue
            if "text" not in names:
                yield from add(Slice(name, "skip", reason=f'no "text" column (columns: {", ".join(names)})'), 1)
                continue
            row = 0
            while row < rows:
                stop = min(rows, row + size - records)
                yield from add(Slice(path, "parquet", name, row, stop), stop - row)
                row = stop
        else:
            yield from _plan_jsonl(file.path, path, name, lambda: size - records, add)
    if records:
        yield PartitionPlan(number, slices, records)  # the last one


def _plan_jsonl(file: Path, path: str, name: str, room: Callable[[], int],
                add: Callable[[Slice, int], Iterator[PartitionPlan]]) -> Iterator[PartitionPlan]:
    packed = file.name.lower().endswith(".gz")
    lines: list[bytes] = []
    offset = start = count = number = 0
    first = 1
    wanted = room()

    def piece() -> Slice:  # the records read since the last piece
        return Slice(path, "jsonl", name, start, offset, first, data=b"".join(lines) if packed else None)

    try:
        with _open_binary(file) as handle:
            for number, raw in enumerate(handle, start=1):  # noqa: B007 (number is reported on a read error)
                offset += len(raw)
                if packed:
                    lines.append(raw)
                if not raw.isspace() and (number > 1 or raw.removeprefix(b"\xef\xbb\xbf").strip()):
                    count += 1
                    if count == wanted:
                        yield from add(piece(), count)
                        lines, start, count, first, wanted = [], offset, 0, number + 1, room()
    except _READ_ERRORS as exc:
        if count:
            yield from add(piece(), count)
            count = 0
        yield from add(Slice(f"{name}:{number + 1}" if number else name, "skip", reason=_read_error(exc)), 1)
        return
    if count:
        yield from add(piece(), count)


def read_slices(slices: Iterable[Slice], year: int) -> Iterator[Document | Skipped]:
    """The documents and skipped inputs of a partition's slices, in input order (what ``read_documents``
    gives for the same records)."""
    for piece in slices:
        if piece.kind == "skip":
            yield Skipped(piece.path, piece.reason)
        elif piece.kind == "text":
            yield from _read_text(InputFile(Path(piece.path), "text", piece.id), year, piece.name)
        elif piece.kind == "parquet":
            yield from _read_parquet(Path(piece.path), year, piece.name, piece.start, piece.stop)
        else:
            yield from _read_jsonl_slice(piece, year)


def _read_jsonl_slice(piece: Slice, year: int) -> Iterator[Document | Skipped]:
    number = piece.line
    data = piece.data
    try:
        if data is None:
            with open(piece.path, "rb") as handle:
                handle.seek(piece.start)
                data = handle.read(piece.stop - piece.start)
            if len(data) != piece.stop - piece.start:
                raise OSError(0, "the file is shorter than when the run was planned")
    except OSError as exc:
        yield Skipped(f"{piece.name}:{number}", _read_error(exc))
        return
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, raw in enumerate(lines, start=piece.line):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte order mark
        if raw.isspace() or not raw:
            continue
        yield _jsonl_item(raw, f"{piece.name}:{number}", year)


# -- the run -----------------------------------------------------------------------------------------
@dataclasses.dataclass
class Progress:
    """What a run has done so far (passed to its ``progress`` callback after each partition)."""

    records_done: int
    records_total: int
    partitions_done: int
    partitions_tagged: int  # by this run (the rest were done by an earlier one)
    documents: int
    mentions: int


@dataclasses.dataclass
class BulkSummary:
    output: Path
    partitions: int  # written in all, by this run and earlier ones
    partitions_tagged: int  # by this run
    documents: int
    mentions: int
    characters: int  # of the documents tagged by this run
    skipped: int  # inputs skipped (listed in the manifest)
    failed: dict[int, str]  # partitions that failed, with why: run again with resume
    seconds: float
    complete: bool


class BulkError(GazetteerError):
    """A bulk run cannot start or go on (the output is in use, the workers cannot open the gazetteer)."""


class SchedulerUnreachable(BulkError):
    """The Dask scheduler named does not answer."""


def write_atomic(path: Path, data: bytes | Callable[[Any], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to the open file) to ``path`` whole or not at
    all: a temporary file in the same directory, fsynced, renamed over ``path``, and the directory
    fsynced so that the rename itself is durable."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot fsync a directory
    finally:
        os.close(descriptor)


def _part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def _inputs_digest(files: Sequence[InputFile]) -> str:
    digest = hashlib.sha256()
    for file in files:
        stat = file.path.stat()
        digest.update(f"{file.path.resolve()}\t{file.kind}\t{file.id}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class BulkJob:
    """A planned bulk run: its inputs, its output directory and manifest. ``prepare`` checks everything
    that can be checked before a cluster is started; ``run`` tags what is missing."""

    def __init__(self, files: list[InputFile], output: Path, manifest: dict[str, Any], *, database_url: str,
                 partition_size: int, year: int, demonyms: bool, near: tuple[float, float] | None,
                 data_version: str, lock: Any) -> None:
        self.files = files
        self.output = output
        self.manifest = manifest
        self.database_url = database_url
        self.partition_size = partition_size
        self.year = year
        self.demonyms = demonyms
        self.near = near
        self.data_version = data_version
        self._lock = lock
        self._saved = 0.0

    @classmethod
    def prepare(cls, inputs: Sequence[str | Path], output: str | Path, *, database_url: str | None = None,
                gazetteer: Gazetteer | None = None, partition_size: int = DEFAULT_PARTITION_SIZE,
                resume: bool = False, overwrite: bool = False, date: DateLike = None, demonyms: bool = False,
                near: NearLike = None) -> BulkJob:
        """Check the inputs, the database and the output directory, and lock the directory.

        Without ``resume`` the directory must be empty or missing (``overwrite`` removes an earlier
        run's output first); with it, the earlier run must have had the same inputs (same sizes and
        modification times), options and data version. Raises ``InvalidOption`` for a bad option,
        ``BulkError`` when the output is in use, ``DatabaseNotReady`` when the database is empty."""
        if resume and overwrite:
            raise InvalidOption("resume and overwrite exclude each other")
        if isinstance(partition_size, bool) or not isinstance(partition_size, int) or partition_size < 1:
            raise InvalidOption(f"partition size must be a positive number of documents, not {partition_size!r}")
        files = expand_inputs(inputs)
        own = gazetteer is None
        gazetteer = gazetteer or Gazetteer.open(database_url)
        try:
            url = absolute_database_url(gazetteer.settings.database_url)
            data_version = gazetteer.status().data_version  # raises DatabaseNotReady on an empty database
            point = gazetteer.near_point(near)
        finally:
            if own:
                gazetteer.close()
        year = text_year(date)
        output = Path(output)
        options = {"partition_size": partition_size, "date": None if date is None else year,
                   "demonyms": demonyms, "near": list(point) if point else None}
        if output.exists() and not output.is_dir():
            raise InvalidOption(f"{output} is a file, not a directory")
        output.mkdir(parents=True, exist_ok=True)
        lock = _lock_directory(output)
        try:
            manifest = _manifest_for(output, files, options, data_version, year, resume=resume, overwrite=overwrite)
            for table in TABLES:
                (output / table).mkdir(exist_ok=True)
            _remove_strays(output, manifest)
        except BaseException:
            _unlock(lock)
            raise
        if date is None:
            year = manifest["default_year"]  # a resumed run reads undated documents as the first run did
        return cls(files, output, manifest, database_url=url, partition_size=partition_size, year=year,
                   demonyms=demonyms, near=point, data_version=data_version, lock=lock)

    # -- the manifest ------------------------------------------------------------------------------
    def _save(self, force: bool = True) -> None:
        now = time.monotonic()
        if force or now - self._saved >= 1.0:  # at most once a second while partitions pour in
            self.manifest["updated"] = _now()
            write_atomic(self.output / MANIFEST, json.dumps(self.manifest, ensure_ascii=False, indent=1).encode())
            self._saved = now

    @property
    def finished(self) -> bool:
        """Whether the run in the output directory is complete (a resumed one then has nothing to do)."""
        return bool(self.manifest["complete"])

    def close(self) -> None:
        """Release the output directory."""
        _unlock(self._lock)
        self._lock = None

    # -- running ------------------------------------------------------------------------------------
    def run(self, client: Client | None = None, *, gazetteer: Gazetteer | None = None, ship_database: bool = False,
            ship_data: bool = False, on_skip: Callable[[Skipped], None] | None = None,
            progress: Callable[[Progress], None] | None = None,
            on_start: Callable[[int], None] | None = None) -> BulkSummary:
        """Tag every partition the manifest does not have, on ``client``'s cluster, or in this process
        when ``client`` is None (with ``gazetteer``, else one opened here).

        A task is a description of its partition's slice of the inputs (file and byte or row range): the
        worker reads and parses it, tags it, writes the two Parquet files into the output directory
        itself and sends back only counts, ids and skipped inputs, from which the driver writes the
        manifest. The inputs and the output directory must then be at the same paths on the workers
        (always so on a local cluster). With ``ship_data`` the driver reads the inputs, sends the
        documents to the workers and writes the Parquet bytes they send back (for workers that do not
        share its storage). Either way a partition is recorded in the manifest only once its files are
        in place, and in order: a document whose id an earlier partition has is removed then.

        On the cluster, a ``GazetteerPlugin`` is registered first (each worker opens the database and
        builds the tagger; ``ship_database`` sends a SQLite file along for workers on other machines)
        and removed at the end. ``on_start(total_records)`` is called once the inputs are counted,
        ``on_skip`` for each skipped input, ``progress`` after each partition. Partitions that fail
        (a worker dying three times on one, say) are listed in the summary and left for a resumed run;
        an exception (KeyboardInterrupt too) stops the run with what is written recorded."""
        started = time.perf_counter()
        manifest = self.manifest
        done: dict[str, Any] = manifest["partitions"]
        manifest["skipped"], manifest["skipped_count"], manifest["failed"] = [], 0, {}
        manifest["complete"] = False
        state = Progress(0, 0, len(done), 0, 0, 0)
        characters = 0
        failed: dict[int, str] = {}
        out: dict[int, PartitionPlan] = {}  # submitted, not finished
        ready: dict[int, tuple[str, PartitionPlan, dict[str, Any] | None, str | None]] = {}  # waiting for earlier ones
        seen: set[str] = set()  # the ids of the partitions recorded so far
        following = 0  # the next partition to record

        def skip(source: str, reason: str) -> None:
            manifest["skipped_count"] += 1
            if len(manifest["skipped"]) < MAX_SKIPPED_LISTED:
                manifest["skipped"].append({"source": source, "reason": reason})
            if on_skip is not None:
                on_skip(Skipped(source, reason))

        def skipped_in_order(result: dict[str, Any]) -> list[tuple[str, str]]:
            """The partition's skipped inputs in input order, with the documents whose id an earlier
            partition has (they are removed from its files)."""
            entries = [((position, 0), source, reason) for position, source, reason in result["skipped"]]
            entries += [((position, 1), source, f"duplicate id {document_id!r}: an earlier document has it")
                        for position, (document_id, source) in enumerate(result["docs"]) if document_id in seen]
            entries.sort(key=lambda entry: entry[0])
            return [(source, reason) for _, source, reason in entries]

        def record(number: int, kind: str, part: PartitionPlan, result: dict[str, Any] | None,
                   error: str | None) -> None:
            nonlocal characters
            if kind == "done":
                entry = done[str(number)]
                ids = pq.read_table(self.output / "documents" / _part_name(number), columns=["id"]).column("id")
                seen.update(ids.to_pylist())
                for source, reason in entry.get("skipped", []):
                    skip(source, reason)
                manifest["skipped_count"] += entry.get("skipped_count", 0) - len(entry.get("skipped", []))
                state.records_done += part.records
                state.documents += entry["documents"]
                state.mentions += entry["mentions"]
                if progress is not None:
                    progress(state)
                return
            assert result is not None
            skipped = skipped_in_order(result)
            for source, reason in skipped:
                skip(source, reason)
            repeated = {document_id for document_id, _ in result["docs"] if document_id in seen}
            seen.update(document_id for document_id, _ in result["docs"])
            if kind == "failed":
                failed[number] = manifest["failed"][str(number)] = error or "no result"
                self._save(force=False)
                return
            name = _part_name(number)
            if "mentions" in result:  # shipped back: the driver writes the files
                for table in TABLES:
                    write_atomic(self.output / table / name, result[table])
            rows = (result["mention_rows"], result["document_rows"])
            if repeated:
                rows = _drop_documents(self.output, name, repeated)
            done[str(number)] = {"documents": rows[1], "mentions": rows[0],
                                 "files": [f"{table}/{name}" for table in TABLES],
                                 "skipped": [list(entry) for entry in skipped[:MAX_SKIPPED_LISTED]],
                                 "skipped_count": len(skipped)}
            self._save(force=False)
            characters += result["characters"]
            state.records_done += part.records
            state.partitions_done += 1
            state.partitions_tagged += 1
            state.documents += rows[1]
            state.mentions += rows[0]
            if progress is not None:
                progress(state)

        def advance() -> None:
            nonlocal following
            while following in ready:
                record(following, *ready.pop(following))
                following += 1

        def finish(number: int, result: dict[str, Any] | None, error: str | None) -> None:
            part = out.pop(number)
            if result is not None and result["data_version"] != self.data_version:
                error = (f"the worker's database has data version {result['data_version']}, the run "
                         f"{self.data_version}: the database changed during the run")
            if error is not None or result is None:
                # the driver reads the partition itself for its ids and skipped inputs, so that the
                # partitions after it can be checked and recorded
                _, docs, skipped = _sort_items(read_slices(part.slices, self.year))
                ready[number] = ("failed", part, {"docs": docs, "skipped": skipped}, error or "no result")
            else:
                ready[number] = ("tagged", part, result, None)
            advance()

        read = not ship_data
        options = {"demonyms": self.demonyms, "near": self.near, "year": self.year,
                   "output": str(self.output.absolute()) if read else None}
        runner: _Runner = (_LocalRunner(gazetteer or Gazetteer.open(self.database_url), own=gazetteer is None)
                           if client is None else _DaskRunner(client, self.database_url, ship_database))
        runner_started = False
        try:
            state.records_total = count_records(self.files)
            if on_start is not None:
                on_start(state.records_total)
            last = -1
            for part in plan_partitions(self.files, self.partition_size):
                last = part.number
                if str(part.number) in done:
                    ready[part.number] = ("done", part, None, None)
                    advance()
                    continue
                if not runner_started:  # only when there is something to tag (a finished run resumed needs none)
                    runner.start()
                    runner_started = True
                out[part.number] = part
                work: list[Any] = part.slices if read else list(read_slices(part.slices, self.year))
                runner.submit(part.number, work, options)
                while runner.pending() >= runner.limit:
                    finish(*runner.next())
            while runner.pending():
                finish(*runner.next())
            advance()
            stale = [key for key in done if int(key) > last]
            if stale:  # cannot happen with unchanged inputs (checked); kept honest all the same
                raise BulkError(f"the manifest has partitions past the last one ({', '.join(stale[:5])})")
            manifest["partitions_total"] = last + 1
            manifest["complete"] = not failed and len(done) == last + 1
        finally:
            runner.close()
            self._save()
            for table in TABLES:  # left by attempts killed mid-write (a resumed run would remove them too)
                for path in (self.output / table).glob(".part-*.tmp"):
                    path.unlink(missing_ok=True)
        return BulkSummary(self.output, len(done), state.partitions_tagged, state.documents, state.mentions, characters,
                           manifest["skipped_count"], failed, time.perf_counter() - started, manifest["complete"])


def _drop_documents(output: Path, name: str, ids: set[str]) -> tuple[int, int]:
    """Remove the documents ``ids`` (and their mentions) from partition ``name``'s files: (mentions,
    documents) left."""
    import pyarrow.compute as pc

    rows = []
    for table, column in (("mentions", "document_id"), ("documents", "id")):
        path = output / table / name
        data = pq.read_table(path)
        keep = pc.invert(pc.is_in(data.column(column), value_set=pa.array(sorted(ids), pa.string())))
        data = data.filter(keep)
        write_parquet_atomic(path, data)
        rows.append(data.num_rows)
    return rows[0], rows[1]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _lock_directory(output: Path) -> Any:
    if fcntl is None:
        return None
    handle = open(output / ".lock", "a")  # noqa: SIM115 (held open for the run)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise BulkError(f"another bulk run is writing to {output}") from None
    return handle


def _unlock(lock: Any) -> None:
    if lock is not None:
        lock.close()  # closing the file releases the lock


def _manifest_for(output: Path, files: list[InputFile], options: dict[str, Any], data_version: str, year: int, *,
                  resume: bool, overwrite: bool) -> dict[str, Any]:
    """The manifest to go on with (resume) or a new one, after checking what the directory holds."""
    digest = _inputs_digest(files)
    path = output / MANIFEST
    ours = {MANIFEST, ".lock", *TABLES}
    others = sorted(p.name for p in output.iterdir() if p.name not in ours and not p.name.startswith("."))
    if resume and path.exists():
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if manifest.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"format {manifest.get('format')!r}")
        except (OSError, ValueError) as exc:
            raise BulkError(f"{path} is not a bulk manifest ({exc}); start again with --overwrite") from None
        differences = [f"{key}: {manifest['options'].get(key)!r} then, {value!r} now"
                       for key, value in options.items() if manifest["options"].get(key) != value]
        if differences:
            raise InvalidOption(f"the run in {output} had other options ({'; '.join(differences)}); "
                                "resume it with the same ones, or start again with --overwrite")
        if manifest["inputs_digest"] != digest:
            raise InvalidOption(f"the inputs changed since the run in {output} started (files added, removed or "
                                "modified); start again with --overwrite")
        if manifest["data_version"] != data_version:
            raise InvalidOption(f"the database has data version {data_version}, the run in {output} was made with "
                                f"{manifest['data_version']}; start again with --overwrite")
        return manifest  # type: ignore[no-any-return]
    has_output = path.exists() or any(any((output / table).iterdir()) for table in TABLES if (output / table).is_dir())
    if others:
        raise InvalidOption(f"{output} holds files that are not a bulk output ({', '.join(others[:5])}); "
                            "choose an empty or new directory")
    if has_output and resume:
        raise InvalidOption(f"{output} has partitions but no manifest: it cannot be resumed; start again with --overwrite")
    if has_output and not overwrite:
        raise InvalidOption(f"{output} is not empty: --resume finishes the run it holds, --overwrite replaces it")
    for table in TABLES:
        shutil.rmtree(output / table, ignore_errors=True)
    path.unlink(missing_ok=True)
    return {"format": MANIFEST_FORMAT, "created": _now(), "updated": _now(), "data_version": data_version,
            "options": options, "default_year": year, "inputs": [str(f.path) for f in files], "inputs_digest": digest,
            "partitions_total": None, "complete": False, "partitions": {}, "failed": {}, "skipped_count": 0,
            "skipped": []}


def _remove_strays(output: Path, manifest: dict[str, Any]) -> None:
    """Remove partition files the manifest does not list (written by a run stopped before it could record
    them; they are redone) and temporary files: what is left is exactly what the manifest says."""
    listed = {f for entry in manifest["partitions"].values() for f in entry["files"]}
    for table in TABLES:
        for path in (output / table).iterdir():
            if f"{table}/{path.name}" not in listed:
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
    for path in output.glob(f".{MANIFEST}.*.tmp"):
        path.unlink()


# -- runners: a Dask cluster, or this process ------------------------------------------------------
class _Runner:
    """Where partitions are tagged: ``submit`` them, take ``next`` as they are done (number, result or
    None, error or None) while ``pending``; at most ``limit`` out at once."""

    limit = 1

    def start(self) -> None:
        raise NotImplementedError

    def submit(self, number: int, work: list[Any], options: dict[str, Any]) -> None:
        raise NotImplementedError

    def pending(self) -> int:
        raise NotImplementedError

    def next(self) -> tuple[int, dict[str, Any] | None, str | None]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class _LocalRunner(_Runner):
    """Every partition in this process, as it is submitted (for one-process runs and benchmarks)."""

    def __init__(self, gazetteer: Gazetteer, own: bool) -> None:
        self.gazetteer, self.own = gazetteer, own
        self.results: list[tuple[int, dict[str, Any] | None, str | None]] = []

    def start(self) -> None:
        self.gazetteer.searcher().tagger()

    def submit(self, number: int, work: list[Any], options: dict[str, Any]) -> None:
        try:
            self.results.append((number, _tag_partition(self.gazetteer, number, work, options), None))
        except Exception as exc:
            self.results.append((number, None, f"{type(exc).__name__}: {exc}"))

    def pending(self) -> int:
        return len(self.results)

    def next(self) -> tuple[int, dict[str, Any] | None, str | None]:
        return self.results.pop(0)

    def close(self) -> None:
        if self.own:
            self.gazetteer.close()


class _DaskRunner(_Runner):
    """Partitions as Dask tasks, a few per worker thread in flight (the driver reads ahead no further)."""

    def __init__(self, client: Client, database_url: str, ship: bool) -> None:
        from distributed import as_completed

        self.client, self.database_url, self.ship = client, database_url, ship
        self.futures: dict[Any, tuple[int, Future]] = {}
        self.completed = as_completed()
        self.registered = False

    def start(self) -> None:
        plugin = GazetteerPlugin.for_database(self.database_url, self.ship)
        try:
            self.client.register_plugin(plugin, name=PLUGIN_NAME)
        except GazetteerError as exc:
            raise BulkError(f"a worker could not open the gazetteer: {exc}") from exc
        except Exception as exc:
            raise BulkError(f"a worker could not open the gazetteer: {type(exc).__name__}: {exc}") from exc
        self.registered = True
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info(n_workers=-1)["workers"].values())
        self.limit = max(4, 2 * threads)

    def submit(self, number: int, work: list[Any], options: dict[str, Any]) -> None:
        future = self.client.submit(_dask_task, number, work, options, pure=False, retries=1,
                                    key=f"gazetteer-bulk-{number}-{os.urandom(4).hex()}")
        self.futures[future.key] = (number, future)
        self.completed.add(future)

    def pending(self) -> int:
        return len(self.futures)

    def next(self) -> tuple[int, dict[str, Any] | None, str | None]:
        future = next(self.completed)
        number, _ = self.futures.pop(future.key)
        try:
            return number, future.result(), None
        except (Exception, asyncio.CancelledError) as exc:
            return number, None, f"{type(exc).__name__}: {exc}"
        finally:
            future.release()

    def close(self) -> None:
        if self.futures:
            with contextlib.suppress(Exception):
                self.client.cancel([future for _, future in self.futures.values()])
            self.futures.clear()
        if self.registered:
            with contextlib.suppress(Exception):
                self.client.unregister_worker_plugin(PLUGIN_NAME)
            self.registered = False


# -- the cluster ----------------------------------------------------------------------------------
# Dask's periodic callbacks wake every process of the cluster many times a second: the statistical
# profiler samples the worker's running task every 10 ms, the event-loop health check ticks every 20 ms,
# the memory and system monitors every 100 and 500 ms. On a machine with as many cores as workers each
# wake-up takes the GIL from, or the core under, a tagging thread: measured on 2 cores with 2 workers,
# a partition took 1.4x as long as in a plain process with the defaults, 1.01x with these.
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,  # (the dashboard's Profile page stays empty)
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}

@contextlib.contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2, timeout: float = 10.0,
                dashboard_address: str | None = ":8787") -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (``tcp://host:8786``), or of a local cluster of
    ``workers`` processes with a thread each, started with ``LOCAL_CLUSTER_CONFIG`` (closed on exit).
    Raises ``BulkError`` when the scheduler cannot be reached within ``timeout`` seconds."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    import dask

    with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the scheduler, nannies and workers start (and restart)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=dashboard_address, silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:
        yield client


def dashboard_link(client: Client) -> str | None:
    """The Dask dashboard's address, or None when the scheduler serves none (bokeh is not installed)."""
    try:
        services = client.scheduler_info()["services"]
    except Exception:
        return None
    return client.dashboard_link if "dashboard" in services else None


def bulk_annotate(inputs: Sequence[str | Path], output: str | Path, *, client: Client | None = None,
                  database_url: str | None = None, gazetteer: Gazetteer | None = None, ship_database: bool = False,
                  ship_data: bool = False, on_skip: Callable[[Skipped], None] | None = None,
                  progress: Callable[[Progress], None] | None = None, **options: Any) -> BulkSummary:
    """``BulkJob.prepare`` and ``run`` in one: tag ``inputs`` into ``output`` on ``client``'s cluster (in
    this process when None). ``options`` are ``prepare``'s (partition_size, resume, overwrite, date,
    demonyms, near)."""
    job = BulkJob.prepare(inputs, output, database_url=database_url, gazetteer=gazetteer, **options)
    try:
        return job.run(client, gazetteer=gazetteer, ship_database=ship_database, ship_data=ship_data, on_skip=on_skip,
                       progress=progress)
    finally:
        job.close()


__all__ = ["DOCUMENTS_SCHEMA", "MENTIONS_SCHEMA", "BulkError", "BulkJob", "BulkSummary", "GazetteerPlugin", "InputFile",
           "PartitionPlan", "Progress", "SchedulerUnreachable", "Skipped", "Slice", "annotate_partition",
           "bulk_annotate", "count_records", "dashboard_link", "dask_client", "expand_inputs",
           "plan_partitions", "read_documents", "read_slices", "write_atomic", "write_parquet_atomic"]
