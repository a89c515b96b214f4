"""Configuration in one place: read from the environment, with defaults that need no set-up."""

from __future__ import annotations

import hashlib
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
BASE_LAYERS = ("none", "cities15000", "cities5000", "cities1000", "cities500")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")  # the Host names the server answers by default
_ALLOWED_HOST = re.compile(r"\*|\.?[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\]")


def default_database_url() -> str:
    """SQLite file in the user's data directory (``~/.local/share/gazetteer/gazetteer.sqlite3``)."""
    directory = Path(platformdirs.user_data_dir("gazetteer", appauthor=False))
    return f"sqlite:///{directory / 'gazetteer.sqlite3'}"


def host_name(host: str) -> str:
    """The name part of a ``Host`` value or an allowed-host entry, lower case, without the port:
    ``Example.org:8000`` -> ``example.org``, ``[::1]:8000`` and ``::1`` -> ``[::1]``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[:host.find("]") + 1] if "]" in host else host
    if host.count(":") > 1:  # a bare IPv6 address
        return f"[{host}]"
    return host.partition(":")[0]


def check_public_url(value: str) -> str:
    """The service's public base URL checked and ending in ``/`` (``https://gazetteer.example.org/``,
    or with a path prefix ``https://example.org/gazetteer/``); ``ValueError`` if it is no such URL."""
    parts = urllib.parse.urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 (raises ValueError for a port that is no number)
        name = host_name(parts.netloc)
    except ValueError:
        name = ""
    if parts.scheme not in ("http", "https") or not _ALLOWED_HOST.fullmatch(name) or name[0] in "*." \
            or "@" in parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the public URL must be an http(s) address such as https://gazetteer.example.org/, "
                         f"not {value!r}")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/") + "/", "", ""))


def parse_allowed_hosts(value: str | Iterable[str]) -> tuple[str, ...]:
    """A host allow-list from a comma-separated string or a list: names (``example.org``; a port is
    ignored), a leading dot for every subdomain (``.example.org``), IP addresses (``10.0.0.5``,
    ``[::1]``), or ``*`` for any; ``ValueError`` for anything else or an empty list."""
    items = [item.strip() for item in (value.split(",") if isinstance(value, str) else value) if item.strip()]
    for item in items:
        if "/" in item or not _ALLOWED_HOST.fullmatch(host_name(item)):
            raise ValueError(f"allowed hosts: {item!r} is not a host name (IDNA-encoded), an IP address, "
                             "a .domain or *")
    hosts = tuple(dict.fromkeys(host_name(item) for item in items))
    if not hosts:
        raise ValueError("allowed hosts: the list names no host")
    return hosts


def snapshot_root(database_url: str, snapshot_dir: Path | None = None) -> Path:
    """Where the built index of a database is kept (see ``store``): in ``snapshot_dir`` when given, one
    folder per database URL; else beside a SQLite file (``gazetteer.sqlite3.index/``), or in the
    user's cache directory for a server database."""
    if snapshot_dir is None and database_url.startswith("sqlite:///") \
            and not database_url.startswith("sqlite:///:memory:"):
        path = Path(database_url[len("sqlite:///"):].split("?", 1)[0]).expanduser()
        return path.with_name(path.name + ".index")
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return (snapshot_dir or Path(platformdirs.user_cache_dir("gazetteer", appauthor=False)) / "index") / digest


@dataclass(frozen=True)
class Settings:
    """Everything the library and its two doors (Flask, Click) can be configured with.

    Environment: ``GAZETTEER_DATABASE_URL``, ``GAZETTEER_DATA_DIR``, ``GAZETTEER_BASE_LAYER``
    (``cities15000`` by default; ``cities5000``, ``cities1000``, ``cities500`` or ``none``),
    ``GAZETTEER_SNAPSHOT_DIR`` (where the built index is kept, a folder per database; by default beside
    a SQLite file, or in the user's cache directory).

    The HTTP service: ``GAZETTEER_PUBLIC_URL`` (its public base URL, for the absolute URLs it writes: the
    LPF export's ``@id`` and redirects; by default the request's own address) and
    ``GAZETTEER_ALLOWED_HOSTS`` (comma-separated ``Host`` names it answers; others get 400; by default
    localhost, 127.0.0.1 and [::1]; the public URL's host is always allowed; ``*`` allows any, which lets
    a client put any host into those URLs).
    """

    database_url: str = field(default_factory=default_database_url)
    data_dir: Path = PACKAGE_ROOT / "data"
    seeds_dir: Path = PACKAGE_ROOT / "seeds"
    base_layer: str = "cities15000"
    snapshot_dir: Path | None = None  # see snapshot_root
    public_url: str | None = None  # see check_public_url
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS  # see parse_allowed_hosts

    @property
    def snapshot_root(self) -> Path:
        return snapshot_root(self.database_url, self.snapshot_dir)

    @property
    def trusted_hosts(self) -> tuple[str, ...] | None:
        """The ``Host`` names the service answers (the allowed hosts and the public URL's); None for any."""
        if "*" in self.allowed_hosts:
            return None
        hosts = self.allowed_hosts
        if self.public_url:
            hosts += (host_name(urllib.parse.urlsplit(self.public_url).netloc),)
        return tuple(dict.fromkeys(hosts))

    def host_allowed(self, host: str) -> bool:
        """Whether a request's ``Host`` (``name[:port]``) is one the service answers."""
        trusted = self.trusted_hosts
        if trusted is None:
            return True
        name = host_name(host)
        return bool(name) and any(name == ref or (ref.startswith(".") and (name.endswith(ref) or name == ref[1:]))
                                  for ref in trusted)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {}
        if env.get("GAZETTEER_DATABASE_URL"):
            values["database_url"] = env["GAZETTEER_DATABASE_URL"]
        if env.get("GAZETTEER_DATA_DIR"):
            values["data_dir"] = Path(env["GAZETTEER_DATA_DIR"])
        if env.get("GAZETTEER_SNAPSHOT_DIR"):
            values["snapshot_dir"] = Path(env["GAZETTEER_SNAPSHOT_DIR"])
        if env.get("GAZETTEER_BASE_LAYER"):
            values["base_layer"] = env["GAZETTEER_BASE_LAYER"]
        if env.get("GAZETTEER_PUBLIC_URL"):
            values["public_url"] = env["GAZETTEER_PUBLIC_URL"]
        if env.get("GAZETTEER_ALLOWED_HOSTS"):
            values["allowed_hosts"] = env["GAZETTEER_ALLOWED_HOSTS"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "public_url" in values:
            values["public_url"] = check_public_url(str(values["public_url"])) if values["public_url"] else None
        if "allowed_hosts" in values:
            values["allowed_hosts"] = parse_allowed_hosts(values["allowed_hosts"])  # type: ignore[arg-type]
        if "data_dir" in values and "seeds_dir" not in values:
            # The seed articles live beside the data they are cited from.
            values["seeds_dir"] = Path(str(values["data_dir"])).parent / "seeds"
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.base_layer not in BASE_LAYERS:
            raise ValueError(f"base layer must be one of {', '.join(BASE_LAYERS)}, not {settings.base_layer!r}")
        return settings
