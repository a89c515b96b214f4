"""Named errors, shared by the library, the CLI and the HTTP API."""

from __future__ import annotations

from collections.abc import Sequence


class GazetteerError(Exception):
    """Base class of every error the gazetteer raises on purpose."""


class InvalidInput(GazetteerError):
    """A caller passed something the gazetteer cannot take (empty name, bad option)."""


class InvalidOption(InvalidInput):
    """An option (kind, country, lang, at, perspective, limit, coordinates) has a value it cannot take."""


class PlaceNotFound(GazetteerError):
    """No place has that id."""

    def __init__(self, place_id: str) -> None:
        super().__init__(f"no place with id {place_id!r}")
        self.place_id = place_id


class DatabaseNotReady(GazetteerError):
    """The database is unreachable or has not been built (run ``gazetteer db init``)."""


class DatabaseNotWritable(GazetteerError):
    """``db init`` could not write the new database (read-only, disk full); the old data is unchanged."""


class DataInvalid(GazetteerError):
    """``data/`` has problems; nothing was loaded. ``problems`` lists them as ``file:line: reason``."""

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data; nothing was loaded")
        self.problems = list(problems)
