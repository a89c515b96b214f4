"""US counties and county-equivalents in the base layer: looked up and tagged by their full name."""

from __future__ import annotations

from gazetteer import Gazetteer
from gazetteer.base import us_county_points

# FIPS code -> (state, name) of a few counties
KNOX_TN, KNOX_IL, JEFFERSON_LA, MAT_SU = "47093", "17095", "22051", "02170"


def test_every_county_has_a_row() -> None:
    rows = us_county_points()
    by_fips = {fips: (state, name) for fips, state, name, *_ in rows}
    assert len(by_fips) == len(rows) > 3100
    assert by_fips[KNOX_TN] == ("TN", "Knox County")
    assert by_fips[JEFFERSON_LA] == ("LA", "Jefferson Parish")
    assert by_fips[MAT_SU] == ("AK", "Matanuska-Susitna Borough")
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 and people >= 0 for *_, lat, lon, people in rows)


def test_knox_county_and_pike_county_are_counties_in_several_states(gazetteer: Gazetteer) -> None:
    for name in ("Knox County", "Pike County"):
        results = gazetteer.lookup(name, limit=20)
        assert len(results) >= 5, name
        assert {r.kind for r in results} == {"district"}
        assert all(r.id.startswith("us-county-") and r.country == "US" and r.label == name for r in results)
    knox = {r.id for r in gazetteer.lookup("Knox County", limit=20)}
    assert {f"us-county-{KNOX_TN}", f"us-county-{KNOX_IL}"} <= knox


def test_county_record_cites_the_census_boundaries(gazetteer: Gazetteer) -> None:
    place = gazetteer.place(f"us-county-{KNOX_TN}")
    assert (place.kind, place.label, place.country, place.layer) == ("district", "Knox County", "US", "base")
    assert place.citations == [f"us-county:{KNOX_TN}"]
    assert [n.name for n in place.names] == ["Knox County"]  # not the bare "Knox"
    assert place.population and place.population > 100_000  # Knoxville is in it
    assert 35.7 < place.lat < 36.3 and -84.3 < place.lon < -83.6
    assert place.note and "FIPS 47093" in place.note


def test_jefferson_parish_is_louisianas(gazetteer: Gazetteer) -> None:
    results = gazetteer.lookup("Jefferson Parish")
    assert results[0].id == f"us-county-{JEFFERSON_LA}"
    assert results[0].kind == "district"
    assert 29 < results[0].lat < 30.2 and -90.5 < results[0].lon < -89.8


def test_alaska_borough(gazetteer: Gazetteer) -> None:
    results = gazetteer.lookup("Matanuska-Susitna Borough")
    assert results[0].id == f"us-county-{MAT_SU}"
    assert results[0].kind == "district"
    assert 61 < results[0].lat < 64


def test_boone_county_is_tagged_as_a_county_not_the_town(gazetteer: Gazetteer) -> None:
    mentions = [m for m in gazetteer.annotate("The Boone County sheriff said the road was closed.") if not m.nested]
    assert [(m.surface, m.kind) for m in mentions] == [("Boone County", "district")]
    assert mentions[0].id.startswith("us-county-")


def test_state_after_a_comma_picks_its_county(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.annotate("Deputies in Knox County, Tennessee, arrested two men.")
    knox = next(m for m in mentions if m.surface == "Knox County")
    assert knox.id == f"us-county-{KNOX_TN}"


def test_parish_in_a_sentence(gazetteer: Gazetteer) -> None:
    mentions = [m for m in gazetteer.annotate("Voters in Jefferson Parish went to the polls.") if not m.nested]
    assert [m.id for m in mentions] == [f"us-county-{JEFFERSON_LA}"]


def test_no_county_named_like_its_state_or_a_town_of_it(gazetteer: Gazetteer) -> None:
    assert all(r.kind != "district" for r in gazetteer.lookup("District of Columbia", fuzzy=False))
    assert all(r.kind != "district" for r in gazetteer.lookup("Carson City", fuzzy=False))
