"""The ``gazetteer`` command: a thin door into the ``Gazetteer`` façade."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from .config import BASE_LAYERS, Settings
from .core import Gazetteer
from .datafiles import check
from .errors import DataInvalid, GazetteerError
from .results import LookupResult

FORMATS = click.Choice(["text", "json", "jsonl"])


class _Progress:
    """A progress display on stderr: a bar per loading stage."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=total or 1, label=f"loading {stage}", file=sys.stderr,
                                         show_pos=bool(total))
            self.bar.__enter__()
        if self.bar is not None and done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]  # type: ignore[no-any-return]


def _open(ctx: click.Context, build: bool = True) -> Gazetteer:
    """Open the configured database, building it on first use (with a progress display)."""
    progress = _Progress()
    try:
        return Gazetteer.open(settings=_settings(ctx), build=build, progress=progress)
    finally:
        progress.close()


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--database-url", envvar="GAZETTEER_DATABASE_URL", default=None,
              help="SQLAlchemy URL (default: a SQLite file in your user data directory; "
                   "postgresql://... for PostgreSQL). Env: GAZETTEER_DATABASE_URL.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="GAZETTEER_DATA_DIR",
              default=None, help="The curated tables (default: data/ of this checkout). Env: GAZETTEER_DATA_DIR.")
@click.option("--base-layer", type=click.Choice(BASE_LAYERS), envvar="GAZETTEER_BASE_LAYER", default=None,
              help="GeoNames cities for the base layer (default cities15000). Env: GAZETTEER_BASE_LAYER.")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, data_dir: Path | None, base_layer: str | None) -> None:
    """The reference gazetteer of contested place names."""
    try:
        settings = Settings.from_env(database_url=database_url, data_dir=data_dir, base_layer=base_layer)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    ctx.obj = {"settings": settings}


# -- db ------------------------------------------------------------------------------------------
@main.group("db")
def db_group() -> None:
    """Build, reload and check the database."""


def _load(ctx: click.Context) -> None:
    settings = _settings(ctx)
    progress = _Progress()
    try:
        gazetteer = Gazetteer.open(settings=settings)
        report = gazetteer.init(progress=progress)
    except DataInvalid as exc:
        progress.close()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(f"{len(exc.problems)} problem(s) in {settings.data_dir}; the database was not changed")
    except GazetteerError as exc:
        progress.close()
        _fail(str(exc))
    progress.close()
    click.echo(f"loaded {report.curated_places} curated and {report.places - report.curated_places} base places, "
               f"{report.name_claims} name claims (data version {report.data_version}) "
               f"in {report.seconds:.1f} s into {settings.database_url}")


@db_group.command("init")
@click.pass_context
def db_init(ctx: click.Context) -> None:
    """Create the schema and load data/ plus the base layer, in one transaction.

    Run again to rebuild. If data/ has a problem nothing is changed.
    """
    _load(ctx)


@db_group.command("load")
@click.pass_context
def db_load(ctx: click.Context) -> None:
    """Reload data/ into an existing database (same as init; one transaction)."""
    _load(ctx)


@db_group.command("validate")
@click.pass_context
def db_validate(ctx: click.Context) -> None:
    """Check data/ (schema, language tags, coordinates, citations, duplicate ids).

    Prints every problem as file:line: reason and exits 1 if there is any.
    """
    settings = _settings(ctx)
    problems = check(settings.data_dir, settings.seeds_dir)[1]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        _fail(f"{len(problems)} problem(s) in {settings.data_dir}")
    click.echo(f"ok: {settings.data_dir} is valid")


@db_group.command("status")
@click.pass_context
def db_status(ctx: click.Context) -> None:
    """Show the loaded data version and counts."""
    try:
        status = Gazetteer.open(settings=_settings(ctx)).status()
    except GazetteerError as exc:
        _fail(str(exc))
    for key, value in status.to_dict().items():
        click.echo(f"{key}: {value}")


# -- lookup --------------------------------------------------------------------------------------
def _text_row(result: LookupResult) -> str:
    claim = result.matched_claim
    years = f"{claim.valid_from or ''}–{claim.valid_to or ''}" if (claim.valid_from or claim.valid_to) else ""
    holders = ",".join(claim.holders) or "-"
    return (f"  {result.id:<28} {result.label:<38} {result.lat:>9.4f} {result.lon:>10.4f}  {result.kind:<11}"
            f" {claim.name} [{claim.lang}, {claim.kind}, {holders}{', ' + years if years else ''}] ({result.match})")


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True, help="Results per name.")
@click.pass_context
def lookup(ctx: click.Context, names: tuple[str, ...], fmt: str, limit: int) -> None:
    """Find places by name, ignoring case and diacritics: NAME... or - for one name per line on stdin.

    Each result gives id, label, lat, lon, kind and the matched name claim.
    """
    queries: list[str] = []
    for name in names:
        if name == "-":
            queries.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            queries.append(name)
    if not queries:
        _fail("no names given")
    gazetteer = _open(ctx)
    answers = []
    for query in queries:
        try:
            answers.append((query, gazetteer.lookup(query, limit)))
        except GazetteerError as exc:
            _fail(f"{query!r}: {exc}")
    if fmt == "json":
        click.echo(json.dumps([{"query": q, "results": [r.to_dict() for r in rs]} for q, rs in answers],
                              ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for query, results in answers:
            click.echo(json.dumps({"query": query, "results": [r.to_dict() for r in results]}, ensure_ascii=False))
    else:
        for query, results in answers:
            click.echo(f"{query}: {len(results)} result(s)")
            for result in results:
                click.echo(_text_row(result))
    if all(not results for _, results in answers):
        raise SystemExit(3)


# -- export --------------------------------------------------------------------------------------
@main.command()
@click.option("--format", "fmt", type=click.Choice(["geojson"]), default="geojson", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (written whole or not at all) instead of stdout.")
@click.option("--include-base", is_flag=True, help="Also export the GeoNames base layer (large).")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, include_base: bool) -> None:
    """Export the curated places as an RFC 7946 GeoJSON FeatureCollection with every name claim."""
    gazetteer = _open(ctx)
    collection = gazetteer.export_geojson(include_base=include_base)
    text = json.dumps(collection, ensure_ascii=False)
    if output is None:
        click.echo(text)
        return
    temporary = output.with_name(output.name + ".partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        _fail(f"cannot write {output}: {exc.strerror}")
    click.echo(f"wrote {len(collection['features'])} features to {output}", err=True)


# -- serve ---------------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with gunicorn (the database is built first if it is empty)."""
    settings = _settings(ctx)
    _open(ctx).close()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        _fail("gunicorn is not installed (pip install gunicorn)")
    env = dict(os.environ, GAZETTEER_DATABASE_URL=settings.database_url,
               GAZETTEER_DATA_DIR=str(settings.data_dir), GAZETTEER_BASE_LAYER=settings.base_layer)
    click.echo(f"serving on http://{host}:{port} with {workers} worker(s); database {settings.database_url}", err=True)
    command = [str(gunicorn), "--bind", f"{host}:{port}", "--workers", str(workers), "api:create_app()"]
    raise SystemExit(subprocess.call(command, env=env))


if __name__ == "__main__":
    main()
