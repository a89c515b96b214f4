"""Who uses a name, proven: the evidence rule of `db validate`, the claim a name stands for at a text's
date (Python API, CLI, HTTP), the perspective report built on it, and the evidence figures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from api import create_app
from gazetteer import Gazetteer
from gazetteer.cli import main
from gazetteer.errors import InvalidOption
from tests.conftest import DATA, settings_for

SOURCE = ("doc-testgrad-decree\tdocument\tusage\tDecree renaming Testgrad (a test document)\t\t1950;1991;1995\t\t\t"
          "names the town Testgrad in 1950 and Nowygrad in 1995")
PLACE = "testgrad\tsettlement\tTestgrad / Nowygrad\t10.5\t-170.5\t\t\t\t\t\t0\tdoc-testgrad-decree\t"
CLAIMS = [
    "testgrad\tTestgrad\ten\tofficial\tUSSR-gov\t1950\t1991\thigh\tdoc-testgrad-decree#art. 1\tthe decree's first name",
    "testgrad\tTestgrad\ten\texonym\tarmenian-community\t1995\t\thigh\tdoc-testgrad-decree#art. 3\tkept by the community",
    "testgrad\tNowygrad\ten\tofficial\tAZ-gov\t1995\t\thigh\tdoc-testgrad-decree#art. 2\tthe 1995 name",
]


def _append(path: Path, *lines: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(text + "".join(line + "\n" for line in lines), encoding="utf-8")


@pytest.fixture(scope="module")
def testgrad(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Gazetteer, str]]:
    """The shipped data plus Testgrad: one written form with a Soviet claim (1950–1991) and a community
    claim (1995–), and another name from 1995 — in a real SQLite file, without the base layer."""
    root = tmp_path_factory.mktemp("testgrad")
    data = root / "data"
    shutil.copytree(DATA, data)
    _append(data / "sources" / "zz-test.tsv", "id\tkind\tattests\ttitle\turl\tyears\trecord_pattern\tlicence\tnote", SOURCE)
    header = (data / "places" / "karabakh.tsv").read_text(encoding="utf-8").split("\n", 1)[0]
    _append(data / "places" / "zz-test.tsv", header, PLACE)
    header = (data / "names" / "karabakh.tsv").read_text(encoding="utf-8").split("\n", 1)[0]
    _append(data / "names" / "zz-test.tsv", header, *CLAIMS)
    url = f"sqlite:///{root / 'db.sqlite3'}"
    gaz = Gazetteer.open(settings=settings_for(url, data_dir=data, base_layer="none"), build=True)
    yield gaz, url
    gaz.close()


def test_a_name_stands_for_the_claim_valid_at_the_texts_date(testgrad: tuple[Gazetteer, str]) -> None:
    gaz, _ = testgrad
    soviet, = gaz.annotate("Trains left Testgrad.", date=1980)
    assert (soviet.claim.holders, soviet.claim.valid_from, soviet.claim.valid_to) == (["USSR-gov"], 1950, 1991)
    assert [c.holders for c in soviet.other_claims] == [["armenian-community"]]
    today, = gaz.annotate("Trains left Testgrad.")  # today by default
    assert today.claim.holders == ["armenian-community"] and today.claim.citations == ["doc-testgrad-decree#art. 3"]
    assert [c.holders for c in today.other_claims] == [["USSR-gov"]]
    for date in ("2020-05-01", "2020", 2020):
        assert gaz.annotate("Testgrad", date=date)[0].claim.holders == ["armenian-community"]
    with pytest.raises(InvalidOption, match="not a calendar date"):
        gaz.annotate("Testgrad", date="2020-02-30")


def test_report_attributes_names_at_the_texts_date(testgrad: tuple[Gazetteer, str]) -> None:
    gaz, _ = testgrad
    now = gaz.report("Trains left Testgrad.", date=2020)
    assert {u.holder: u.names for u in now.holders} == {"armenian-community": {"Testgrad": 1}}
    assert now.unattributed == 0
    assert now.suggestions[0].other_names == {"AZ-gov": "Nowygrad"}
    then = gaz.report("Trains left Testgrad.", date=1980)
    assert {u.holder for u in then.holders} == {"USSR-gov"} and then.suggestions == []  # Nowygrad did not exist yet


def test_annotate_date_over_http_and_cli(testgrad: tuple[Gazetteer, str]) -> None:
    _, url = testgrad
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client: FlaskClient = app.test_client()
    body = client.post("/v1/annotate", json={"text": "Testgrad", "date": "1980-01-01", "report": True}).get_json()
    assert body["mentions"][0]["claim"]["holders"] == ["USSR-gov"]
    assert body["mentions"][0]["other_claims"][0]["holders"] == ["armenian-community"]
    assert [u["holder"] for u in body["report"]["holders"]] == ["USSR-gov"]
    body = client.post("/v1/report", json={"text": "Testgrad", "date": 2024}).get_json()
    assert [u["holder"] for u in body["holders"]] == ["armenian-community"]
    batch = client.post("/v1/annotate/batch", json={"documents": [{"id": 1, "text": "Testgrad"}], "date": 1960})
    assert batch.get_json()["documents"][0]["mentions"][0]["claim"]["holders"] == ["USSR-gov"]
    bad = client.post("/v1/annotate", json={"text": "Testgrad", "date": "last year"})
    assert bad.status_code in (400, 422) and bad.mimetype == "application/problem+json"
    app.extensions["gazetteer"].close()

    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", url, "annotate", "-", "--format", "json", "--date", "1980"],
                           input="Trains left Testgrad.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mentions"][0]["claim"]["holders"] == ["USSR-gov"]
    result = runner.invoke(main, ["--database-url", url, "report", "-", "--date", "2020"], input="Testgrad")
    assert result.exit_code == 0 and "armenian-community" in result.output and "Nowygrad" in result.output
    result = runner.invoke(main, ["--database-url", url, "report", "-", "--date", "1990-13-01"], input="Testgrad")
    assert result.exit_code == 2 and "--date" in result.output


def test_db_stats_and_status_give_the_evidence_figures(testgrad: tuple[Gazetteer, str]) -> None:
    gaz, url = testgrad
    stats = gaz.evidence()
    assert stats.holder_claims > 0 and stats.with_usage_evidence == stats.holder_claims  # validate demands it
    assert stats.usage_evidence_share == 1.0 and 0 < stats.with_years <= stats.holder_claims
    result = CliRunner().invoke(main, ["--database-url", url, "db", "stats"])
    assert result.exit_code == 0, result.output
    assert f"claims naming holders:     {stats.holder_claims:,}" in result.output
    assert "with usage evidence:" in result.output and "(100.0%)" in result.output
    result = CliRunner().invoke(main, ["--database-url", url, "db", "stats", "--format", "json", "--all"])
    figures = json.loads(result.output)
    assert figures["curated_places"] == stats.curated_places and figures["usage_evidence_share"] == 1.0
    assert {"id", "holders", "holder_claims", "with_usage_evidence", "complete"} <= set(figures["disputes"][0])
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    status = app.test_client().get("/v1/status").get_json()
    assert status["evidence"]["holder_claims"] == stats.holder_claims
    app.extensions["gazetteer"].close()
