"""The snapshot: the built index and tagger kept in files beside the database, memory-mapped on load.

Building the in-memory index from the database takes seconds and hundreds of megabytes per process.
A snapshot keeps what was built in a directory keyed by the data version and the code's schema
version, in forms that are opened rather than read:

- names and other keys in marisa-tries (a succinct trie: a few bytes per key, memory-mapped);
- lists of numbers and strings as flat arrays of bytes with offsets (memory-mapped, decoded on access);
- the few small tables (holders, relations, citations of curated claims) pickled.

Opening a snapshot costs a few milliseconds whatever the base layer's size, and every process on the
machine that opens it (gunicorn workers, Dask workers, CLI calls) shares one copy of its pages through the
operating system's page cache. A snapshot is written to a temporary directory and renamed into place,
so a reader never sees a partial one; a snapshot that fails to open is rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import mmap
import os
import pickle
import shutil
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, overload

import marisa_trie
import numpy as np

FORMAT = "4"  # bumped whenever the layout of the files changes
_NONE = b"\xff"  # a string column's None: a byte that no UTF-8 text holds alone
T = TypeVar("T")


# The modules whose code decides what a snapshot holds: a change to any of them (a tagger rule's table, a
# normalization) makes another key, so an upgraded install rebuilds its snapshot instead of reading one
# built by the old code.
BUILDERS = ("store.py", "index.py", "tagger.py", "rules.py", "scan.py", "inflect.py", "normalize.py", "language.py",
            "search.py", "spatial.py")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the source of ``BUILDERS``."""
    digest = hashlib.sha256()
    package = resources.files("gazetteer")
    for name in BUILDERS:
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def key(data_version: str, schema_version: str) -> str:
    """The name of the snapshot directory for this data and code."""
    digest = hashlib.sha256(
        f"{data_version}\0{schema_version}\0{FORMAT}\0{sys.version_info[:2]}\0{code_digest()}".encode())
    return f"v{FORMAT}-{digest.hexdigest()[:20]}"


def _map(path: Path) -> memoryview:
    """The file's bytes, memory-mapped read-only (an empty file gives an empty view)."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if not size:
            return memoryview(b"")
        return memoryview(mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ))


class Writer:
    """Writes the files of one snapshot into a directory (a temporary one, renamed by ``publish``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _write(self, name: str, data: bytes | memoryview) -> None:
        with open(self.directory / name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    def ints(self, name: str, values: Iterable[Any], typecode: str = "q") -> None:
        self._write(f"{name}.{typecode}", array(typecode, values).tobytes())

    def floats(self, name: str, values: Iterable[float]) -> None:
        self.ints(name, values, "d")

    def strings(self, name: str, values: Iterable[str | None]) -> None:
        offsets = array("q", [0])
        chunks = []
        total = 0
        for value in values:
            data = _NONE if value is None else value.encode("utf-8", "surrogatepass")
            chunks.append(data)
            total += len(data)
            offsets.append(total)
        self._write(f"{name}.str", b"".join(chunks))
        self._write(f"{name}.off", offsets.tobytes())

    def trie(self, name: str, keys: Iterable[str]) -> marisa_trie.Trie:
        trie = marisa_trie.Trie(keys)
        trie.save(str(self.directory / f"{name}.marisa"))
        return trie

    def postings(self, name: str, mapping: Mapping[str, Sequence[int]]) -> marisa_trie.Trie:
        """A str -> list of ints mapping: a trie of the keys, and the lists in the trie's key order."""
        trie = self.trie(name, mapping)
        order = sorted(mapping, key=trie.key_id)
        offsets, values = array("q", [0]), array("i")
        for item in order:
            values.extend(mapping[item])
            offsets.append(len(values))
        self._write(f"{name}.off", offsets.tobytes())
        self._write(f"{name}.i", values.tobytes())
        return trie

    def pickle(self, name: str, obj: Any) -> None:
        self._write(f"{name}.pickle", pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


class Reader:
    """Opens the files of one snapshot directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def ints(self, name: str, typecode: str = "q") -> memoryview:
        view = _map(self.directory / f"{name}.{typecode}")
        return view.cast("B").cast(typecode) if len(view) else memoryview(array(typecode))  # type: ignore[call-overload]

    def floats(self, name: str) -> np.ndarray:
        return np.frombuffer(self.ints(name, "d"), dtype=np.float64)

    def strings(self, name: str) -> StrColumn:
        return StrColumn(_map(self.directory / f"{name}.str"), _offsets(self.directory / f"{name}.off"))

    def trie(self, name: str) -> marisa_trie.Trie:
        trie = marisa_trie.Trie()
        path = self.directory / f"{name}.marisa"
        if path.stat().st_size:
            trie.mmap(str(path))
        return trie

    def postings(self, name: str) -> Postings:
        return Postings(self.trie(name), _offsets(self.directory / f"{name}.off"), self.ints(name, "i"))

    def pickle(self, name: str) -> Any:
        with open(self.directory / f"{name}.pickle", "rb") as handle:
            return pickle.load(handle)


def _offsets(path: Path) -> memoryview:
    view = _map(path)
    return view.cast("B").cast("q") if len(view) else memoryview(array("q", [0]))


class StrColumn(Sequence[str]):
    """A list of strings (or None) kept as UTF-8 bytes with offsets, each decoded when it is read."""

    def __init__(self, data: memoryview, offsets: memoryview) -> None:
        self._data = data
        self._offsets = offsets
        self._length = len(offsets) - 1

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        data = self._data[self._offsets[index]:self._offsets[index + 1]]
        return None if data == _NONE else str(data, "utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(self._length))


class Postings:
    """A read-only str -> list[int] mapping on a memory-mapped trie and arrays."""

    def __init__(self, trie: marisa_trie.Trie, offsets: memoryview, values: memoryview) -> None:
        self.trie = trie
        self._offsets = offsets
        self._values = values

    def __len__(self) -> int:
        return len(self.trie)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and item in self.trie

    def __iter__(self) -> Iterator[str]:
        return iter(self.trie.keys())

    def by_id(self, key_id: int) -> list[int]:
        return self._values[self._offsets[key_id]:self._offsets[key_id + 1]].tolist()

    def get(self, item: str, default: T | None = None) -> list[int] | T | None:
        key_id = self.trie.get(item)
        return default if key_id is None else self.by_id(key_id)

    def __getitem__(self, item: str) -> list[int]:
        key_id = self.trie.get(item)
        if key_id is None:
            raise KeyError(item)
        return self.by_id(key_id)


class Buckets:
    """Groups of keys (fuzzy matching's candidates: keys of one length that share two letters), each
    group stored as ids in the keys' own trie."""

    @staticmethod
    def write(writer: Writer, name: str, buckets: dict[tuple[int, str], list[str]], keys: marisa_trie.Trie) -> None:
        writer.postings(name, {f"{length}\x01{letters}": [keys.key_id(k) for k in group]
                               for (length, letters), group in buckets.items()})

    def __init__(self, reader: Reader, name: str, keys: marisa_trie.Trie) -> None:
        self._groups = reader.postings(name)
        self._keys = keys

    def get(self, bucket: tuple[int, str], default: Sequence[str] = ()) -> Sequence[str]:
        ids = self._groups.get(f"{bucket[0]}\x01{bucket[1]}")
        if ids is None:
            return default
        restore = self._keys.restore_key
        return [restore(i) for i in ids]


class IdMap:
    """A read-only str -> int mapping (place id -> place index) on a memory-mapped trie."""

    def __init__(self, trie: marisa_trie.Trie, values: memoryview) -> None:
        self.trie = trie
        self._values = values

    @classmethod
    def write(cls, writer: Writer, name: str, mapping: dict[str, int]) -> None:
        trie = writer.trie(name, mapping)
        values = [0] * len(mapping)
        for item, value in mapping.items():
            values[trie.key_id(item)] = value
        writer.ints(name, values, "i")

    @classmethod
    def read(cls, reader: Reader, name: str) -> IdMap:
        return cls(reader.trie(name), reader.ints(name, "i"))

    def __len__(self) -> int:
        return len(self.trie)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and item in self.trie

    def get(self, item: str, default: T | None = None) -> int | T | None:
        key_id = self.trie.get(item)
        return default if key_id is None else self._values[key_id]

    def __getitem__(self, item: str) -> int:
        key_id = self.trie.get(item)
        if key_id is None:
            raise KeyError(item)
        return int(self._values[key_id])

    def items(self) -> Iterator[tuple[str, int]]:
        return ((item, self._values[key_id]) for item, key_id in self.trie.items())


class Categories(Sequence[Any]):
    """A column of a few distinct values (languages, kinds, countries): two bytes per row and the values."""

    @staticmethod
    def write(writer: Writer, name: str, values: Sequence[Any]) -> None:
        distinct = sorted(set(values), key=lambda v: (v is None, str(v)))
        code = {value: i for i, value in enumerate(distinct)}
        writer.pickle(f"{name}.values", distinct)
        writer.ints(name, (code[v] for v in values), "H")

    @classmethod
    def read(cls, reader: Reader, name: str) -> Categories:
        return cls(reader.pickle(f"{name}.values"), reader.ints(name, "H"))

    def __init__(self, values: list[Any], codes: memoryview) -> None:
        self._values = values
        self._codes = codes

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._values[c] for c in self._codes[index]]
        return self._values[self._codes[index]]

    def __iter__(self) -> Iterator[Any]:
        return map(self._values.__getitem__, self._codes)


def write_columns(writer: Writer, name: str, columns: dict[str, Sequence[Any]]) -> None:
    """Columns of the same kind of value each, stored by kind: booleans and integers as arrays,
    floats as doubles, strings as categories when few are distinct; anything else pickled."""
    kinds = {}
    for column, values in columns.items():
        sample = [v for v in values if v is not None]
        if values and all(type(v) is bool for v in values):
            writer.ints(f"{name}.{column}", values, "B")
            kinds[column] = "B"
        elif values and all(type(v) is int for v in values) and all(-2**31 <= v < 2**31 for v in values):
            writer.ints(f"{name}.{column}", values, "i")
            kinds[column] = "i"
        elif values and all(type(v) is float for v in values):
            writer.ints(f"{name}.{column}", values, "d")
            kinds[column] = "d"
        elif sample and all(isinstance(v, (str, tuple)) for v in sample) and len(set(values)) <= 65_535:
            Categories.write(writer, f"{name}.{column}", values)
            kinds[column] = "categories"
        else:
            writer.pickle(f"{name}.{column}", values)
            kinds[column] = "pickle"
    writer.pickle(f"{name}.kinds", kinds)


def read_columns(reader: Reader, name: str) -> dict[str, Sequence[Any]]:
    """The columns written by ``write_columns``: arrays memory-mapped, read in place (a memoryview is
    indexed at the speed of a list and gives Python ints and floats; booleans come back as 0 and 1)."""
    columns: dict[str, Sequence[Any]] = {}
    for column, kind in reader.pickle(f"{name}.kinds").items():
        if kind in ("B", "i", "d"):
            columns[column] = reader.ints(f"{name}.{column}", kind)
        elif kind == "categories":
            columns[column] = Categories.read(reader, f"{name}.{column}")
        else:
            columns[column] = reader.pickle(f"{name}.{column}")
    return columns


def optional_ints(writer: Writer, name: str, values: Sequence[int | None]) -> None:
    """A column of ints where most rows are None: only the others are stored."""
    writer.pickle(name, {i: v for i, v in enumerate(values) if v is not None} | {-1: len(values)})


def read_optional_ints(reader: Reader, name: str) -> list[int | None]:
    stored: dict[int, int] = reader.pickle(name)
    column: list[int | None] = [None] * stored.pop(-1)
    for i, value in stored.items():
        column[i] = value
    return column


# -- the directory ---------------------------------------------------------------------------------
def publish(root: Path, name: str, write: Callable[[Writer], None]) -> Path:
    """Write a snapshot part with ``write`` into a temporary directory beside ``root/name`` and rename it
    into place; a part that another process published first is kept and ours dropped."""
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    temporary = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=root))
    try:
        writer = Writer(temporary)
        write(writer)
        writer._write("complete", b"")  # last: a part without it was cut short
        try:
            os.rename(temporary, target)
        except OSError:
            if not (target / "complete").exists():  # a broken part left by a crash: replace it
                discard(target)
                os.rename(temporary, target)
            else:
                shutil.rmtree(temporary, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def open_part(path: Path, load: Callable[[Path], T]) -> T | None:
    """The part at ``path`` opened with ``load``; None when there is none, or when it fails to open
    (damaged, or written by another version of the code: it is then moved away, to be rebuilt)."""
    if (path / "complete").exists():
        try:
            return load(path)
        except Exception:  # noqa: BLE001 - whatever the damage, the part is rebuilt
            discard(path)
    return None


def discard(path: Path) -> None:
    """Move a damaged part out of the way (atomically) and delete it."""
    trash = Path(tempfile.mkdtemp(prefix=f".{path.name}-broken-", dir=path.parent))
    with contextlib.suppress(OSError):
        os.rename(path, trash / "old")
    shutil.rmtree(trash, ignore_errors=True)


def remove_others(root: Path, keep: str) -> None:
    """Drop the snapshots of other data versions (processes that still map their files keep them)."""
    for path in root.iterdir() if root.is_dir() else ():
        if path.name == keep or not path.is_dir():
            continue
        # a temporary folder only when it is old: another process may be writing it now
        if path.name.startswith("v") or path.name.startswith(".v") and time.time() - path.stat().st_mtime > 3600:
            shutil.rmtree(path, ignore_errors=True)
