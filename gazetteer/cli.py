"""The ``gazetteer`` command: a thin door into the ``Gazetteer`` façade."""

from __future__ import annotations

import functools
import json
import operator
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from . import inputs
from .config import BASE_LAYERS, Settings, check_public_url, parse_allowed_hosts
from .core import Gazetteer, text_year
from .datafiles import check
from .errors import DataInvalid, GazetteerError, InvalidInput, InvalidOption
from .export import FORMATS as EXPORT_FORMATS
from .export import ExportFilter
from .jsonout import document_chunks
from .numeric import parse_float, parse_int
from .render import annotated_html, mentions_geojson
from .results import LookupResult

FORMATS = click.Choice(["text", "json", "jsonl"])


class _Strict:
    """Reads a command-line number with ``parse`` (ASCII digits, finite) before click's own range check."""

    parse: Callable[[str], float]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                value = type(self).parse(value.strip())
            except ValueError as exc:
                self.fail(str(exc), param, ctx)  # type: ignore[attr-defined]
        return super().convert(value, param, ctx)  # type: ignore[misc]


class Integer(_Strict, click.IntRange):
    """An integer in ASCII digits, in a range if given (click's int() would take "٣" and "1_0")."""

    parse = staticmethod(parse_int)

    def __init__(self, low: int | None = None, high: int | None = None, **options: Any) -> None:
        super().__init__(low, high, **options)
        if low is None and high is None:
            self.name = "integer"  # (its --help shows INTEGER and no range)

    def _describe_range(self) -> str:
        return super()._describe_range() if self.min is not None or self.max is not None else ""


class Number(_Strict, click.FloatRange):
    """A finite number in ASCII digits, in a range if given (click's float() would take "nan", "inf",
    "٣" and "1_0", and NaN passes any range)."""

    parse = staticmethod(parse_float)


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
            label = stage if stage.startswith("building") else f"loading {stage}"
            self.bar = click.progressbar(length=total or 1, label=label, file=sys.stderr, show_pos=bool(total))
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


def _fail(message: str, code: int = 1) -> NoReturn:
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


def _load(ctx: click.Context, snapshot: bool = True) -> None:
    settings = _settings(ctx)
    progress = _Progress()
    try:
        report = Gazetteer.open(settings=settings).init(progress=progress, snapshot=snapshot)
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
    if report.snapshot_seconds is not None:
        click.echo(f"index snapshot built in {report.snapshot_seconds:.1f} s in {settings.snapshot_root}", err=True)


@db_group.command("init")
@click.option("--snapshot/--no-snapshot", default=True, show_default=True,
              help="Build the index snapshot now (beside a SQLite file; GAZETTEER_SNAPSHOT_DIR), so that the next "
                   "commands open it in a fraction of a second instead of building it.")
@click.pass_context
def db_init(ctx: click.Context, snapshot: bool) -> None:
    """Create the schema and load data/ plus the base layer, in one transaction.

    Run again to rebuild. If data/ has a problem nothing is changed.
    """
    _load(ctx, snapshot)


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
        gazetteer = Gazetteer.open(settings=_settings(ctx))
        status = gazetteer.status()
    except GazetteerError as exc:
        _fail(str(exc))
    for key, value in status.to_dict().items():
        click.echo(f"{key}: {value}")
    _warn_if_stale(gazetteer)


def _warn_if_stale(gazetteer: Gazetteer) -> None:
    stale = gazetteer.stale_version()
    if stale is not None:
        click.echo(f"warning: the database holds data version {stale[0]}, but this release and its data files "
                   f"would load {stale[1]}: run `gazetteer db init` to load them", err=True)


@db_group.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--all", "show_all", is_flag=True, help="List every contested place, not only the incomplete ones.")
@click.pass_context
def db_stats(ctx: click.Context, fmt: str, show_all: bool) -> None:
    """Evidence figures: places, claims, languages, holder claims, the share citing a source that shows
    the use (not only the spelling), the share with years, and how complete each contested place is."""
    try:
        stats = Gazetteer.open(settings=_settings(ctx)).evidence()
    except GazetteerError as exc:
        _fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
        return
    complete = sum(d.complete for d in stats.disputes)
    click.echo(f"curated places:            {stats.curated_places:,}")
    click.echo(f"curated name claims:       {stats.curated_claims:,} in {stats.languages:,} languages")
    click.echo(f"holders:                   {stats.holders:,}")
    click.echo(f"claims naming holders:     {stats.holder_claims:,}")
    click.echo(f"  with usage evidence:     {stats.with_usage_evidence:,} ({stats.usage_evidence_share:.1%})")
    click.echo(f"  with years:              {stats.with_years:,} ({stats.years_share:.1%})")
    click.echo(f"contested places:          {len(stats.disputes):,}, complete {complete:,} "
               "(names of a holder, all proven, and a fair-naming note)")
    listed = [d for d in stats.disputes if show_all or not d.complete]
    if listed:
        click.echo(f"{'place':<34} {'status':<15} {'holders':>7} {'claims':>6} {'proven':>6} {'years':>5}  note")
    for d in listed:
        click.echo(f"{d.id:<34} {d.status:<15} {len(d.holders):>7} {d.holder_claims:>6} {d.with_usage_evidence:>6} "
                   f"{d.with_years:>5}  {'yes' if d.fair_naming_note else 'no'}")


# -- lookup and search -------------------------------------------------------------------------
def _years(start: int | None, end: int | None) -> str:
    return f"{start or ''}–{end or ''}" if (start or end) else ""


def _text_row(rank: int, result: LookupResult) -> str:
    claim = result.matched_claim
    years = _years(claim.valid_from, claim.valid_to)
    holders = ",".join(claim.holders) or "-"
    match = result.match if result.match != "fuzzy" else f"fuzzy {result.score:g}"
    return (f"  {rank:>2}. {result.id:<26} {result.label:<34} {match:<14} {result.lat:>9.4f} {result.lon:>10.4f}  "
            f"{result.kind:<11} {claim.name} [{claim.lang}, {claim.kind}, {holders}{', ' + years if years else ''}]\n"
            f"      label: {result.label_basis}")


def _queries(names: tuple[str, ...]) -> list[str]:
    queries: list[str] = []
    for name in names:
        if name == "-":
            queries.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            queries.append(name)
    if not queries:
        _fail("no names given")
    return queries


def _name_options(function: Any) -> Any:
    """The options lookup and search share."""
    for option in reversed([
        click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format."),
        click.option("--limit", type=Integer(1, 100), default=5, show_default=True, help="Results per name."),
        click.option("--fuzzy/--no-fuzzy", default=True, show_default=True, help="Also find spellings a typo away."),
        click.option("--lang", default=None, help="Prefer names in this language (BCP 47, e.g. hy) and label in it."),
        click.option("--kind", multiple=True, help="Only places of this kind (settlement, region, country, ...); "
                                                   "repeat for several."),
        click.option("--country", default=None, help="Only places in this country (ISO 3166-1 alpha-2, e.g. AZ)."),
        click.option("--at", "at", type=Integer(), default=None, help="Only names valid in this year; label by them."),
        click.option("--perspective", default=None, metavar="HOLDER",
                     help="Label each place by this holder's name (e.g. AZ-gov; see `gazetteer holders`)."),
        click.option("--curated-only", is_flag=True, help="Only the curated contested layer, no GeoNames base."),
    ]):
        function = option(function)
    return function


def _answer(ctx: click.Context, queries: list[str], fmt: str, run: Any) -> None:
    """Run each query, print the answers, exit 3 if nothing was found, 1 if a name was rejected."""
    gazetteer = _open(ctx)
    answers: list[dict[str, Any]] = []
    for query in queries:
        try:
            answers.append({"query": query, "results": run(gazetteer, query)})
        except InvalidOption as exc:
            raise click.UsageError(str(exc)) from exc
        except GazetteerError as exc:
            answers.append({"query": query, "error": str(exc), "results": []})
    if fmt == "text":
        for answer in answers:
            if "error" in answer:
                click.echo(f"{answer['query']}: error: {answer['error']}")
                continue
            click.echo(f"{answer['query']}: {len(answer['results'])} result(s)")
            for rank, result in enumerate(answer["results"], start=1):
                click.echo(_text_row(rank, result))
    else:
        dicts = [{**a, "results": [r.to_dict() for r in a["results"]]} for a in answers]
        if fmt == "json":
            click.echo(json.dumps(dicts, ensure_ascii=False, indent=2))
        else:
            for line in dicts:
                click.echo(json.dumps(line, ensure_ascii=False))
    if any("error" in a for a in answers):
        raise SystemExit(1)
    if all(not a["results"] for a in answers):
        raise SystemExit(3)


@main.command()
@click.argument("names", nargs=-1, required=True)
@_name_options
@click.pass_context
def lookup(ctx: click.Context, names: tuple[str, ...], fmt: str, limit: int, fuzzy: bool, lang: str | None,
           kind: tuple[str, ...], country: str | None, at: int | None, perspective: str | None,
           curated_only: bool) -> None:
    """Find the places a name denotes: NAME... or - for one name per line on stdin.

    Any script or spelling: exact, then ignoring case, diacritics and punctuation, then across
    scripts (Степанакерт = Stepanakert), then (unless --no-fuzzy) typos. Each result gives id, label
    (and why that label), how it matched, lat, lon, kind and the matched name claim with its holders.
    Exits 3 when nothing is found, 1 when a name is rejected, 2 on a bad option.
    """
    def run(gazetteer: Gazetteer, query: str) -> list[LookupResult]:
        return gazetteer.lookup(query, limit, fuzzy=fuzzy, lang=lang, kind=kind or None, country=country, at=at,
                                perspective=perspective, curated_only=curated_only)
    _answer(ctx, _queries(names), fmt, run)


@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--prefix", is_flag=True, help="Autocomplete: also names that start with the text (or a word of it).")
@_name_options
@click.pass_context
def search(ctx: click.Context, names: tuple[str, ...], prefix: bool, fmt: str, limit: int, fuzzy: bool,
           lang: str | None, kind: tuple[str, ...], country: str | None, at: int | None, perspective: str | None,
           curated_only: bool) -> None:
    """Ranked candidates for a text: every match kind at once (NAME... or - for stdin).

    Exact, folded and transliterated matches first, then with --prefix names starting with the text,
    then typos; within each, curated places, priority, population and feature kind decide.
    """
    def run(gazetteer: Gazetteer, query: str) -> list[LookupResult]:
        return gazetteer.search(query, limit, prefix=prefix, fuzzy=fuzzy, lang=lang, kind=kind or None,
                                country=country, at=at, perspective=perspective, curated_only=curated_only)
    _answer(ctx, _queries(names), fmt, run)


@main.command()
@click.pass_context
def holders(ctx: click.Context) -> None:
    """List the holders (states, authorities, communities) whose names a --perspective can show."""
    for holder_id, label in sorted(_open(ctx).holders().items()):
        click.echo(f"{holder_id:<28} {label}")


# -- space ---------------------------------------------------------------------------------------
_POINT = {"context_settings": {"ignore_unknown_options": True}}  # so that -33.9 is a latitude, not an option
LAT = click.argument("lat", type=Number(-90, 90))
LON = click.argument("lon", type=Number(-180, 180))


def _print_point_answer(lat: float, lon: float, fmt: str, results: list[Any], lines: Any) -> None:
    if fmt == "text":
        click.echo(f"{lat:g}, {lon:g}: {len(results)} result(s)")
        for rank, result in enumerate(results, start=1):
            click.echo(lines(rank, result))
    else:
        answer = {"lat": lat, "lon": lon, "results": [r.to_dict() for r in results]}
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2 if fmt == "json" else None))
    if not results:
        raise SystemExit(3)


@main.command(**_POINT)
@LAT
@LON
@click.option("--limit", type=Integer(1, 100), default=5, show_default=True)
@click.option("--radius", "radius_km", type=Number(0, 20_100, min_open=True), default=None,
              help="Only places within this many km.")
@click.option("--kind", multiple=True, help="Only places of this kind; repeat for several.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def reverse(ctx: click.Context, lat: float, lon: float, limit: int, radius_km: float | None, kind: tuple[str, ...],
            fmt: str) -> None:
    """The places nearest LAT LON (WGS84 degrees), by geodesic distance in km. Exits 3 if none."""
    try:
        results = _open(ctx).reverse(lat, lon, limit, radius_km=radius_km, kind=kind or None)
    except InvalidOption as exc:
        raise click.UsageError(str(exc)) from exc

    def line(rank: int, r: Any) -> str:
        return (f"  {rank:>2}. {r.id:<26} {r.label:<36} {r.kind:<11} {r.country or '--':<3} "
                f"{r.lat:>9.4f} {r.lon:>10.4f} {r.distance_km:>10.3f} km")
    _print_point_answer(lat, lon, fmt, results, line)


@main.command(**_POINT)
@LAT
@LON
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.pass_context
def contains(ctx: click.Context, lat: float, lon: float, fmt: str) -> None:
    """The curated polygons containing LAT LON, with every account of each area and whose view it is.

    A disputed area lists all its relations (belongs to, run by, claimed by; years; view) rather than
    one silently. Exits 3 when no polygon contains the point.
    """
    results = _open(ctx).contains(lat, lon)

    def line(rank: int, area: Any) -> str:
        out = [f"  {rank:>2}. {area.id:<26} {area.label} ({area.kind}){'  [disputed]' if area.disputed else ''}"]
        for r in area.relations:
            years = _years(r.valid_from, r.valid_to)
            view = f"view of {r.view}" if r.view else "no single holder's view"
            out.append(f"      {r.relation} {r.other_label or r.other}{' ' + years if years else ''} ({view}, "
                       f"{r.certainty}){': ' + r.note if r.note else ''}")
        return "\n".join(out)
    _print_point_answer(lat, lon, fmt, results, line)


# -- text ----------------------------------------------------------------------------------------
def _read_text(path: str) -> str:
    """A file's text (or stdin for -), with a clear error for bytes that are not UTF-8."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{path} is not UTF-8 text (invalid byte at offset {exc.start}); convert it first")
    raise AssertionError  # unreachable: _fail exits


def _documents(files: tuple[str, ...], jsonl: bool) -> list[dict[str, Any]]:
    """Documents to annotate: one per file, or one per line of JSONL ({"id", "text"}, and a "date" if known)."""
    documents: list[dict[str, Any]] = []
    for path in files or ("-",):
        text = _read_text(path)
        if not (jsonl or path.endswith(".jsonl")):
            documents.append({"id": path, "text": text})
            continue
        # Lines end at "\n" only: str.splitlines() would also split at U+2028 and the like, which JSON
        # strings may hold unescaped (json.dumps(..., ensure_ascii=False) writes them so).
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                document = inputs.loads(line)
            except json.JSONDecodeError as exc:
                _fail(f"{path}:{number}: not a JSON object: {exc.msg}")
            except InvalidInput as exc:  # nested too deep, a lone surrogate
                _fail(f"{path}:{number}: {exc}")
            if not isinstance(document, dict) or not isinstance(document.get("text"), str):
                _fail(f'{path}:{number}: each line must be an object with a "text" string')
            if document.get("date") is not None:
                try:
                    text_year(document["date"])
                except InvalidInput as exc:
                    _fail(f"{path}:{number}: {exc}")
            documents.append(document)
    return documents


def _near(gazetteer: Gazetteer, near: str | None) -> tuple[float, float] | None:
    try:
        return gazetteer.near_point(near)
    except InvalidInput as exc:
        _fail(f"--near: {exc}")


def _mention_line(m: Any) -> str:
    claim = m.claim
    holders = ",".join(claim.holders) or "-"
    kind = "" if m.mention_type == "toponym" else f" ({m.mention_type})"
    return (f"  {m.start:>7}-{m.end:<7} {m.surface:<24} {m.id:<24} {claim.lang:<8} {claim.kind:<11} {holders}"
            f"{kind}{'  [nested]' if m.nested else ''}")


def _date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return text_year(value)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "html", "geojson"]), default="text",
              show_default=True, help="Output format: html highlights the mentions, geojson gives the places.")
@click.option("--jsonl", "jsonl", is_flag=True, help="Input is JSONL ({\"id\", \"text\"} per line); implied by *.jsonl.")
@click.option("--demonyms", is_flag=True, help="Also link demonyms (Armenians, Azerbaijani) to their place.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for many documents (they share the indexes built once).")
@click.option("--date", default=None, metavar="YYYY[-MM-DD]", callback=_date_option,
              help="The texts' date: a name with several claims of a place is read as the claim valid then "
                   "that names holders (default: today; a JSONL document's own \"date\" wins).")
@click.option("--near", default=None, metavar="PLACE|LAT,LON",
              help="Where the texts are from (a local paper's town): a place id, a place name or LAT,LON. Readings "
                   "near it weigh more and its small towns become readings (Paris near 36.3,-88.3 is Paris, Tenn.).")
@click.pass_context
def annotate(ctx: click.Context, files: tuple[str, ...], fmt: str, jsonl: bool, demonyms: bool, jobs: int,
             date: int | None, near: str | None) -> None:
    """Find every place mention in FILE... (or stdin), linked to the place and the name variant used.

    Offsets are Python str offsets (end exclusive). JSONL input gives JSONL output: each input object
    with "mentions" added. Each mention's claim is the one its written form stands for at the text's
    date (a JSONL document's own "date", else --date, else today); the place's other claims of that
    form (other holders, other years) are in "other_claims".
    """
    documents = _documents(files, jsonl)
    gazetteer = _open(ctx)
    point = _near(gazetteer, near)
    from_jsonl = jsonl or any(f.endswith(".jsonl") for f in files)
    # text, json and jsonl are written as the answers come (made in the worker processes with --jobs);
    # html and geojson need every document first.
    render = None if fmt in ("html", "geojson") else functools.partial(_render_document, fmt, from_jsonl)
    results = gazetteer.annotate_many(documents, text=operator.itemgetter("text"), demonyms=demonyms, jobs=jobs,
                                      render=render, date=functools.partial(_document_date, date), near=point)
    # The bar is for output going to a file or a pipe: on a terminal the streamed lines show progress.
    streamed_to_terminal = render is not None and sys.stdout.isatty()
    with click.progressbar(results, length=len(documents), label="annotating", file=sys.stderr,
                           hidden=len(documents) < 20 or not sys.stderr.isatty() or streamed_to_terminal) as bar:
        if render is not None:
            for document, answer in zip(documents, bar, strict=True):
                if isinstance(answer, str):
                    click.echo(answer)
                    continue
                for chunk in _document_chunks(fmt, from_jsonl, document, answer):  # a long one, piece by piece
                    click.echo(chunk, nl=False)
                click.echo()
            return
        annotated = list(zip(documents, bar, strict=True))
    if fmt == "html":
        click.echo(annotated_html((str(d.get("id", "-")), d["text"], m) for d, m in annotated))
        return
    collection = mentions_geojson(m for _, mentions in annotated for m in mentions)
    click.echo(json.dumps(collection, ensure_ascii=False))


def _document_date(default: int | None, document: dict[str, Any]) -> Any:
    """A JSONL document's own "date", else the --date option (else today)."""
    own = document.get("date")
    return default if own is None else own


STREAMED_ABOVE = 1000  # mentions of one document: more are written piece by piece (_document_chunks)


def _render_document(fmt: str, from_jsonl: bool, document: dict[str, Any], mentions: list[Any]) -> str | list[Any]:
    """One document's answer in the text, json or jsonl format; in json or jsonl, the mentions themselves
    when they are more than ``STREAMED_ABOVE``, for the parent to write piece by piece: a text of 1 MB
    can have 200,000, whose JSON is 130 to 200 MB, and making it in one piece took 1 to 2 GB."""
    if fmt == "text":
        return "\n".join([f"{document.get('id', '-')}: {len(mentions)} mention(s)", *map(_mention_line, mentions)])
    if len(mentions) > STREAMED_ABOVE:
        return mentions
    return "".join(_document_chunks(fmt, from_jsonl, document, mentions))


def _document_chunks(fmt: str, from_jsonl: bool, document: dict[str, Any], mentions: list[Any]) -> Iterator[str]:
    """One document's answer in the json or jsonl format, in pieces."""
    # JSONL documents come back whole with their mentions; a file is named by its path.
    if fmt == "jsonl":  # the line json.dumps(..., ensure_ascii=False) gives, byte for byte, in half its time
        yield from document_chunks(document if from_jsonl else {"id": document.get("id")}, mentions)
        return
    # json.dumps({"id": ..., "mentions": [...]}, ensure_ascii=False, indent=2), a mention at a time
    if not mentions:
        yield json.dumps({"id": document.get("id"), "mentions": []}, ensure_ascii=False, indent=2)
        return
    skeleton = json.dumps({"id": document.get("id"), "mentions": [0]}, ensure_ascii=False, indent=2)
    head, tail = skeleton.rsplit("\n    0\n", 1)  # (the last: an id may hold a 0 too)
    yield head
    for start in range(0, len(mentions), STREAMED_ABOVE):
        yield "".join(("\n" if number == 0 else ",\n") + _indented(m.to_dict())
                      for number, m in enumerate(mentions[start:start + STREAMED_ABOVE], start=start))
    yield f"\n{tail}"


def _indented(value: Any) -> str:
    """``value`` as json.dumps(..., indent=2) writes it inside a list inside an object."""
    return "\n".join(f"    {line}" for line in json.dumps(value, ensure_ascii=False, indent=2).split("\n"))


@main.command()
@click.argument("file", default="-")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--date", default=None, metavar="YYYY[-MM-DD]", callback=_date_option,
              help="The article's date: names are attributed to the holders using them then (default: today).")
@click.option("--near", default=None, metavar="PLACE|LAT,LON",
              help="Where the texts are from (a local paper's town): a place id, a place name or LAT,LON. Readings "
                   "near it weigh more and its small towns become readings (Paris near 36.3,-88.3 is Paris, Tenn.).")
@click.pass_context
def report(ctx: click.Context, file: str, fmt: str, date: int | None, near: str | None) -> None:
    """The perspective report of an article (FILE or -): whose names it uses and how often, the places
    it names two ways, and a fair first mention where it gives only one side's name."""
    text = _read_text(file)
    gazetteer = _open(ctx)
    result = gazetteer.report(text, date=date, near=_near(gazetteer, near))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"{result.mentions} place mention(s); {result.unattributed} with a name no holder is recorded to use")
    click.echo("names used, by holder:")
    for use in result.holders:
        names = ", ".join(f"{name} ×{count}" for name, count in use.names.items())
        click.echo(f"  {use.holder:<28} {use.mentions:>4}  {names}")
    if result.named_two_ways:
        click.echo("places named more than one way:")
        for place in result.named_two_ways:
            click.echo(f"  {place.id:<24} " + ", ".join(f"{n} ×{c}" for n, c in place.names.items()))
    if result.suggestions:
        click.echo("suggested fair first mentions:")
        for suggestion in result.suggestions:
            click.echo(f"  at {suggestion.first_mention}: {suggestion.suggestion}")
            if suggestion.usage_note:
                click.echo(f"    note: {suggestion.usage_note}")


# -- bulk ----------------------------------------------------------------------------------------
@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the Parquet output: mentions/, documents/ and manifest.json.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="A running Dask scheduler to tag on (default: a local cluster of --workers processes).")
@click.option("--workers", type=click.IntRange(1, 256), default=2, show_default=True,
              help="Worker processes of the local cluster (one thread each; not with --scheduler).")
@click.option("--partition-size", type=click.IntRange(1, 1_000_000), default=1000, show_default=True,
              help="Documents per partition: one task, one Parquet file per table.")
@click.option("--resume", is_flag=True, help="Finish the interrupted run in OUTPUT: only the partitions it lacks.")
@click.option("--overwrite", is_flag=True, help="Replace the earlier run's output in OUTPUT.")
@click.option("--date", default=None, metavar="YYYY[-MM-DD]", callback=_date_option,
              help="The texts' date, for the claim each name stands for (default: today; a document's own "
                   "\"date\" wins).")
@click.option("--near", default=None, metavar="PLACE|LAT,LON", help="Where the texts are from (see annotate).")
@click.option("--demonyms", is_flag=True, help="Also link demonyms (Armenians, Azerbaijani) to their place.")
@click.option("--ship-database/--no-ship-database", default=None,
              help="Send the SQLite database file to the workers (default: with --scheduler, whose workers may not "
                   "share this disk; a local cluster reads it in place). PostgreSQL is always reached by its URL.")
@click.option("--ship-data/--no-ship-data", default=None,
              help="Read the inputs here, send the documents to the workers and write the Parquet files they send "
                   "back (default: with --scheduler). Without it each worker reads its partition's slice of the "
                   "inputs and writes its Parquet files itself: faster, but the inputs and OUTPUT must be at the "
                   "same paths on every worker (shared storage; always so on a local cluster).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds to wait for --scheduler to answer.")
@click.pass_context
def bulk(ctx: click.Context, inputs: tuple[str, ...], output: Path, scheduler: str | None, workers: int,
         partition_size: int, resume: bool, overwrite: bool, date: int | None, near: str | None, demonyms: bool,
         ship_database: bool | None, ship_data: bool | None, timeout: float) -> None:
    """Tag INPUT... on a Dask cluster into partitioned Parquet in OUTPUT.

    INPUT is JSONL (one object a line: "text", and "id" (default FILE:LINE) and "date" if known),
    Parquet (columns text, id, date), a text file (one document, its path the id) or a folder of text
    files (ids relative to it); globs and gzip (.gz) too. A line that cannot be read is reported as
    FILE:LINE: reason and skipped, and the rest is tagged. Exits 0 when every partition is written
    (skipped inputs are counted in the summary and listed in manifest.json), 1 when a partition failed
    or the run was interrupted (--resume finishes it), 2 on a bad option.
    """
    from . import bulk as bulk_runs

    settings = _settings(ctx)
    try:
        gazetteer = Gazetteer.open(settings=settings)
        try:
            job = bulk_runs.BulkJob.prepare(inputs, output, gazetteer=gazetteer, partition_size=partition_size,
                                            resume=resume, overwrite=overwrite, date=date, demonyms=demonyms, near=near)
        finally:
            gazetteer.close()
    except InvalidOption as exc:
        _fail(str(exc), 2)
    except GazetteerError as exc:
        _fail(str(exc))
    shown = [0]  # skipped inputs printed (the first thousand; all are in the manifest)
    bar: Any = None

    def on_skip(item: Any) -> None:
        shown[0] += 1
        if shown[0] <= 1000:
            click.echo(str(item), err=True)
        elif shown[0] == 1001:
            click.echo(f"(more skipped inputs are listed in {output / bulk_runs.MANIFEST})", err=True)

    def on_start(total: int) -> None:
        nonlocal bar
        bar = click.progressbar(length=max(total, 1), label="tagging", file=sys.stderr, show_pos=True)
        bar.__enter__()

    def progress(state: Any) -> None:
        bar.update(state.records_done - bar.pos)

    try:
        if job.finished:  # resumed after it was done: nothing to tag, no cluster to start
            summary = job.run(None, on_skip=on_skip, progress=progress, on_start=on_start)
        else:
            with bulk_runs.dask_client(scheduler, workers, timeout) as client:
                found = len(client.scheduler_info(n_workers=-1)["workers"])
                where = f"scheduler {scheduler}" if scheduler else "a local cluster"
                link = bulk_runs.dashboard_link(client)
                click.echo(f"Dask: {where}, {found} worker(s); dashboard {link or 'not served'}", err=True)
                if not found:
                    click.echo("the scheduler has no workers yet: the tasks wait for them", err=True)
                click.echo("each worker opens the database and loads or builds the tagger first", err=True)
                ship = scheduler is not None if ship_database is None else ship_database
                carry = scheduler is not None if ship_data is None else ship_data
                summary = job.run(client, ship_database=ship, ship_data=carry, on_skip=on_skip, progress=progress,
                                  on_start=on_start)
    except bulk_runs.SchedulerUnreachable as exc:
        _fail(str(exc), 2)
    except GazetteerError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write to {output}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        _fail(f"interrupted; the partitions written are recorded: `gazetteer bulk ... --output {output} --resume` "
              "finishes the run")
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        job.close()
    seconds = summary.seconds
    click.echo(f"{summary.partitions} partition(s) in {output} ({summary.partitions_tagged} tagged now): "
               f"{summary.documents:,} documents, {summary.mentions:,} mentions; "
               f"{summary.characters / 1e6 / seconds if seconds else 0:.2f} M characters/s in {seconds:.1f} s")
    if summary.skipped:
        click.echo(f"skipped {summary.skipped:,} input(s) that could not be read (listed in "
                   f"{output / bulk_runs.MANIFEST})")
    if summary.failed:
        number, reason = next(iter(summary.failed.items()))
        _fail(f"{len(summary.failed)} partition(s) failed (partition {number}: {reason}); "
              f"run again with --resume to redo them")


@main.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--no-continents", is_flag=True, help="Leave out gold toponyms marked as continents.")
@click.option("--demonyms", is_flag=True, help="Also predict demonyms (for corpora that annotate them).")
@click.option("--off", "off", multiple=True, metavar="RULE",
              help="Switch a tagger rule off (repeat for several; see --ablate for their names).")
@click.option("--ablate", is_flag=True,
              help="Switch each tagger rule off in turn and print its effect on each corpus's F1 and acc@161.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def evaluate(ctx: click.Context, gold: tuple[str, ...], no_continents: bool, demonyms: bool, off: tuple[str, ...],
             ablate: bool, as_json: bool) -> None:
    """Annotate the texts of gold JSONL corpora and score them: recognition P/R/F1 (exact and
    overlapping spans) and resolution (median km, accuracy within 161 km, AUC).

    With --ablate, every rule of the tagger (find, filter, resolve, record) is switched off in turn and
    the change of F1 and acc@161 on each corpus is printed, one row per rule."""
    from . import evaluation
    from .rules import RULES

    unknown = [rule for rule in off if rule not in RULES]
    if unknown:
        _fail(f"no tagger rule is called {', '.join(unknown)}; the rules are: {', '.join(RULES)}")
    corpora = [(Path(path).stem, _documents((path,), True)) for path in gold]
    gazetteer = _open(ctx)

    def annotate(text: str, rules_off: frozenset[str]) -> list[Any]:
        return gazetteer.annotate(text, demonyms=demonyms, off=rules_off | set(off))

    total = sum(len(documents) for _, documents in corpora) * ((len(RULES) + 1) if ablate else 1)
    with click.progressbar(length=total, label="annotating", file=sys.stderr, hidden=not sys.stderr.isatty()) as bar:
        if ablate:
            rows = evaluation.ablate(annotate, corpora, [rule for rule in RULES if rule not in off], no_continents,
                                     bar.update)
        else:
            figures = {name: evaluation.evaluate(annotate, documents, no_continents, frozenset(), bar.update)
                       for name, documents in corpora}
    if as_json:
        click.echo(json.dumps(rows if ablate else figures if len(corpora) > 1 else figures[corpora[0][0]],
                              ensure_ascii=False, indent=2))  # a corpus named in any script, as written
        return
    if ablate:
        header = "".join(f" | {name[:18]:>18} F1  (change) acc@161 (change)" for name, _ in corpora)
        click.echo(f"{'rule switched off':<20}{header}")
        for row in rows:
            cells = ""
            for name, _ in corpora:
                c = row["corpora"][name]
                acc = "   -  " if c["acc161"] is None else f"{c['acc161']:.3f}"
                acc_change = "" if c["acc161_change"] is None else f"{c['acc161_change']:+.3f}"
                cells += f" | {'':>15}{c['f1']:.3f} ({c['f1_change']:+.3f}) {acc} ({acc_change})"
            click.echo(f"{row['rule']:<20}{cells}")
        return
    for name, result in figures.items():
        if len(figures) > 1:
            click.echo(f"{name}:")
        for kind in ("exact", "overlap"):
            r, z = result[f"recognition_{kind}"], result[f"resolution_{kind}"]
            resolution = (f"median {z['median_km']:.1f} km, acc@161 {z['acc161']:.3f}, AUC {z['auc']:.3f} (n={z['n']})"
                          if z["n"] else "no resolved pairs")
            click.echo(f"{kind:<8} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}   {resolution}")


# -- export --------------------------------------------------------------------------------------
@main.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="geojson", show_default=True,
              help="geojson: RFC 7946 FeatureCollection with every name claim; lpf: Linked Places Format "
                   "(GeoJSON-LD) with a 'perspectives' extension naming who uses each name; csv: one row per "
                   "name claim.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (written whole or not at all) instead of stdout.")
@click.option("--include-base", is_flag=True, help="Also export the GeoNames base layer (large; streamed).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only places of this kind (settlement, region, country, ...); repeat or comma-separate.")
@click.option("--country", default=None, metavar="CC", help="Only places in this country (ISO 3166-1 alpha-2).")
@click.option("--bbox", default=None, metavar="W,S,E,N",
              help="Only places whose point or polygon meets this box (degrees; W > E crosses the antimeridian).")
@click.option("--holder", default=None, metavar="ID",
              help="Only places with a name this holder uses (see `gazetteer holders`).")
@click.option("--base-url", default=None,
              help="LPF only: each place's @id is BASE_URL + 'places/' + id (your server's /v1/ address; default: "
                   "GAZETTEER_PUBLIC_URL + 'v1/', else http://127.0.0.1:8000/v1/).")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, include_base: bool, kinds: tuple[str, ...],
           country: str | None, bbox: str | None, holder: str | None, base_url: str | None) -> None:
    """Export the curated places (and the base layer on request) as GeoJSON, LPF or CSV, streamed.

    CSV text cells starting with = + - @, a tab or a carriage return get a leading ' so that a
    spreadsheet shows them as text, not as a formula; numbers are written as they are."""
    base_url = base_url or (_settings(ctx).public_url or "http://127.0.0.1:8000/") + "v1/"
    gazetteer = _open(ctx)
    try:
        filters = ExportFilter.make(kinds=[k.strip() for k in ",".join(kinds).split(",")], country=country,
                                    bbox=bbox, holder=holder, include_base=include_base)
        total = gazetteer.count_places(filters)
        with click.progressbar(length=total or 1, label=f"exporting {fmt}", file=sys.stderr,
                               hidden=output is None or not sys.stderr.isatty()) as bar:
            seen = [0]

            def progress(done: int) -> None:
                bar.update(done - seen[0])
                seen[0] = done

            chunks = gazetteer.export(fmt, filters, base_url=base_url, progress=progress)
            if output is None:
                for chunk in chunks:
                    click.echo(chunk, nl=False)
                return
            temporary = output.with_name(output.name + ".partial")
            try:
                with open(temporary, "w", encoding="utf-8", newline="") as handle:
                    for chunk in chunks:
                        handle.write(chunk)
                os.replace(temporary, output)
            except OSError as exc:
                temporary.unlink(missing_ok=True)
                _fail(f"cannot write {output}: {exc.strerror}")
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
    except InvalidInput as exc:
        _fail(str(exc))
    click.echo(f"wrote {fmt} to {output}", err=True)


def _host_env(settings: Settings, host: str, public_url: str | None) -> dict[str, str]:
    """``GAZETTEER_PUBLIC_URL`` and ``GAZETTEER_ALLOWED_HOSTS`` for the server: the allowed hosts (see
    ``Settings``) and the address it binds, unless that is every address (0.0.0.0, ::)."""
    url = public_url or settings.public_url  # (--public-url is checked by _public_url_option)
    hosts = settings.allowed_hosts
    if host not in ("0.0.0.0", "::", "[::]") and "*" not in hosts:
        try:
            hosts += parse_allowed_hosts(host)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--host'") from None
    return {"GAZETTEER_PUBLIC_URL": url or "", "GAZETTEER_ALLOWED_HOSTS": ",".join(dict.fromkeys(hosts))}


def _public_url_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return check_public_url(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


# -- serve ---------------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; it is also answered as a Host (besides GAZETTEER_ALLOWED_HOSTS, by default "
                   "localhost, 127.0.0.1, [::1]) unless it is 0.0.0.0 or ::.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Processes (a core each is right); they share the index pages.")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Requests each worker answers at once; a slow client or a long export holds one thread.")
@click.option("--public-url", envvar="GAZETTEER_PUBLIC_URL", default=None, metavar="URL", callback=_public_url_option,
              help="The address clients use (https://gazetteer.example.org/), for the absolute URLs the server "
                   "writes (the LPF export's @id, redirects); its host is allowed. Env: GAZETTEER_PUBLIC_URL.")
@click.option("--header-timeout", type=click.FloatRange(1, 3600), default=15, show_default=True,
              help="Seconds a client has to send a request's line and headers.")
@click.option("--idle-timeout", type=click.FloatRange(1, 3600), default=30, show_default=True,
              help="Seconds a client may stall while sending a body or reading an answer.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int, threads: int, public_url: str | None,
          header_timeout: float, idle_timeout: float) -> None:
    """Serve the HTTP API with gunicorn (the database is built first if it is empty).

    Each worker is gunicorn's threaded worker with time limits on slow clients (api/server.py); `db init`
    can reload the data while it serves. For production put it behind a reverse proxy (README)."""
    settings = _settings(ctx)
    try:
        opened = _open(ctx)
        _warn_if_stale(opened)
        opened.close()
    except DataInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        _fail(f"{len(exc.problems)} problem(s) in {settings.data_dir}; nothing to serve")
    except GazetteerError as exc:  # unreachable, or cannot be written: serve anyway, 503 until it can be read
        click.echo(f"warning: {exc}; serving anyway: the API answers 503 until the data can be read", err=True)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        _fail("gunicorn is not installed (pip install gunicorn)")
    env = dict(os.environ, GAZETTEER_DATABASE_URL=settings.database_url,
               GAZETTEER_DATA_DIR=str(settings.data_dir), GAZETTEER_BASE_LAYER=settings.base_layer, GAZETTEER_WARM="1",
               GAZETTEER_HEADER_TIMEOUT=str(header_timeout), GAZETTEER_IDLE_TIMEOUT=str(idle_timeout))
    env.update(_host_env(settings, host, public_url))  # the Host names answered (others get 400), the public URL
    click.echo(f"serving on http://{host}:{port} with {workers} worker(s) of {threads} thread(s); "
               f"database {settings.database_url}", err=True)
    # --preload: the app (its index and tagger, opened from the snapshot) is made once in the master and
    # the workers are forked from it, so they share those pages instead of each holding a copy.
    # --no-control-socket: gunicorn (25.1 and later) otherwise opens a control socket at one path per user
    # (~/.gunicorn/gunicorn.ctl), which two services on a machine would share, served by a thread in the
    # master that it stops and restarts around every fork of a worker.
    command = [str(gunicorn), "--bind", f"{host}:{port}", "--workers", str(workers), "--preload",
               "--worker-class", "api.server.Worker", "--threads", str(threads),
               "--timeout", "120", "--no-control-socket", "api:create_app()"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(str(gunicorn), command, env)  # gunicorn takes this process's place: signals reach it directly


if __name__ == "__main__":
    main()
