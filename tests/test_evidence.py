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
    between = gaz.report("Trains left Testgrad.", date=1993)  # the Soviet name had ended, the community's not begun
    assert between.holders == [] and between.unattributed == 1


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
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    bad = client.post("/v1/annotate", json={"text": "Testgrad", "date": "2021-02-29"})
    assert bad.status_code == 400 and "not a calendar date" in bad.get_json()["detail"]
    # each document of a batch may carry its own date; the batch's date is the default
    batch = client.post("/v1/annotate/batch", json={"date": 2020, "documents": [
        {"id": "old", "text": "Testgrad", "date": "1960-05-01"}, {"id": "new", "text": "Testgrad"}]}).get_json()
    assert [d["mentions"][0]["claim"]["holders"] for d in batch["documents"]] == [["USSR-gov"], ["armenian-community"]]
    bad = client.post("/v1/annotate/batch", json={"documents": [{"id": 1, "text": "x"},
                                                                {"id": 2, "text": "Testgrad", "date": "1990-02-30"}]})
    assert bad.status_code == 400 and "item 1" in bad.get_json()["detail"]
    app.extensions["gazetteer"].close()

    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", url, "annotate", "-", "--format", "json", "--date", "1980"],
                           input="Trains left Testgrad.")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mentions"][0]["claim"]["holders"] == ["USSR-gov"]
    lines = [json.dumps({"id": "a", "text": "Testgrad", "date": "1975-01-01"}), json.dumps({"id": "b", "text": "Testgrad"})]
    result = runner.invoke(main, ["--database-url", url, "annotate", "-", "--jsonl", "--format", "jsonl",
                                  "--date", "2022"], input="\n".join(lines))
    assert result.exit_code == 0, result.output
    holders = [json.loads(line)["mentions"][0]["claim"]["holders"] for line in result.output.splitlines()]
    assert holders == [["USSR-gov"], ["armenian-community"]]  # a document's own date, else --date
    result = runner.invoke(main, ["--database-url", url, "annotate", "-", "--jsonl"],
                           input=lines[1] + "\n" + json.dumps({"text": "Testgrad", "date": "soon"}))
    assert result.exit_code != 0 and "-:2: date must be a year" in result.output
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


# -- the shipped data ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(loaded_url: str) -> Iterator[FlaskClient]:
    app = create_app({"DATABASE_URL": loaded_url, "TESTING": True})
    yield app.test_client()
    app.extensions["gazetteer"].close()


def _holders(report: dict) -> dict[str, dict[str, int]]:
    return {use["holder"]: use["names"] for use in report["holders"]}


def test_annotate_attributes_derry_and_londonderry(client: FlaskClient) -> None:
    body = client.post("/v1/annotate", json={"text": "Derry, known to unionists as Londonderry, voted.",
                                             "report": True}).get_json()
    derry, londonderry = body["mentions"]
    assert (derry["id"], londonderry["id"]) == ("derry", "derry")
    assert derry["claim"]["holders"] and londonderry["claim"]["holders"]
    holders = _holders(body["report"])
    assert holders["irish-nationalist-community"] == {"Derry": 1} and holders["derry-council"] == {"Derry": 1}
    assert holders["ulster-unionist-community"] == {"Londonderry": 1} and holders["GB-gov"] == {"Londonderry": 1}
    assert body["report"]["unattributed"] == 0
    assert body["report"]["named_two_ways"][0]["names"] == {"Derry": 1, "Londonderry": 1}


def test_annotate_attributes_kiev_and_kyiv_by_the_texts_date(client: FlaskClient) -> None:
    before = client.post("/v1/report", json={"text": "Talks in Kiev resumed.", "date": "2015-06-01"}).get_json()
    assert _holders(before) == {"ap-style": {"Kiev": 1}}  # AP wrote Kiev until August 2019
    assert "Kyiv" in before["suggestions"][0]["suggestion"]
    after = client.post("/v1/report", json={"text": "Talks in Kyiv resumed.", "date": "2023-06-01"}).get_json()
    assert {"UA-gov", "ap-style", "bbc"} <= set(_holders(after)) and after["unattributed"] == 0
    kiev_now = client.post("/v1/annotate", json={"text": "Talks in Kiev resumed.", "date": 2023}).get_json()
    mention, = kiev_now["mentions"]
    assert mention["id"] == "kyiv" and mention["claim"]["holders"] == []  # nobody recorded writes Kiev now
    assert any(c["holders"] == ["ap-style"] and c["valid_to"] == 2019 for c in mention["other_claims"])


def test_report_attributes_stepanakert_and_khankendi(loaded_url: str) -> None:
    text = "Shelling hit Stepanakert, which Azeris call Khankendi."
    runner = CliRunner()
    in_2010 = runner.invoke(main, ["--database-url", loaded_url, "report", "-", "--format", "json", "--date", "2010"],
                            input=text)
    assert in_2010.exit_code == 0, in_2010.output
    holders = _holders(json.loads(in_2010.output))
    assert holders["NKR-gov"] == {"Stepanakert": 1} and holders["AZ-gov"] == {"Khankendi": 1}
    today = json.loads(runner.invoke(main, ["--database-url", loaded_url, "report", "-", "--format", "json"],
                                     input=text).output)
    holders = _holders(today)
    assert "NKR-gov" not in holders  # dissolved in 2023: its claim is listed, not chosen
    assert holders["AZ-gov"] == {"Khankendi": 1} and holders["AM-gov"] == {"Stepanakert": 1}
    assert today["unattributed"] == 0
    text_out = runner.invoke(main, ["--database-url", loaded_url, "report", "-"], input=text).output
    assert "0 with a name no holder is recorded to use" in text_out and "AZ-gov" in text_out


def test_shipped_data_proves_every_holder_claim(loaded_url: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", loaded_url, "db", "stats", "--format", "json", "--all"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["curated_places"] >= 300
    assert figures["holder_claims"] >= 900 and figures["usage_evidence_share"] == 1.0
    disputes = {d["id"]: d for d in figures["disputes"]}
    for place in ("nagorno-karabakh", "stepanakert", "crimea", "kosovo", "senkaku", "kuril", "western-sahara",
                  "golan-heights", "persian-gulf", "sea-of-japan", "north-macedonia", "transnistria", "kashmir"):
        assert disputes[place]["complete"], disputes[place]
        assert len(disputes[place]["holders"]) >= 1 and disputes[place]["fair_naming_note"]
