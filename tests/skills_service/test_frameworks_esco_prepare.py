"""The bundled ESCO occupations table and the script that makes it: preferred labels cut from
the run-together text by the plural that opens ESCO's descriptions, checked against ESCO's
published labels; the build is reproducible and leaves out ISCO groups and what it cannot
cut; the table loads as ESCO occupations."""

from __future__ import annotations

import csv
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openler.skills_service import esco_bundled, esco_prepare

OCCUPATION = "http://data.europa.eu/esco/occupation/"
# ESCO's published preferred labels of a few occupations (facts, for checking the cut).
KNOWN = {
    "00030d09-2b3a-4efd-87cc-c4ea39d27c34": "technical director",
    "000e93a3-d956-4e45-aacb-f12c83fedf84": "metal drawing machine operator",
    "0019b951-c699-4191-8208-9822882d150c": "precision device inspector",
    "0022f466-426c-41a4-ac96-a235c945cf97": "air traffic safety technician",
    "002da35b-7808-43f3-83bf-63596b8b351f": "hospitality revenue manager",
    "0044c991-c26f-4261-a213-4bd1c0564a4c": "medical laboratory assistant",
    "00674f21-2f8f-4a41-9896-133f7cbe2a6e": "primary school teaching assistant",
    "f2b15a0e-e65a-438a-affb-29b9d50b77d1": "software developer",
}


@pytest.mark.parametrize(("text", "label", "alternatives", "opening"), [
    ("technical director head of technical technical manager Technical directors realise "
     "the artistic visions.", "technical director", "head of technical technical manager",
     "Technical directors realise"),
    ("deckhand sailor deck worker Deckhands work on ships. Deckhands clean decks.",
     "deckhand", "sailor deck worker", "Deckhands work"),
    ("ombudsman complaints officer Ombudsmen resolve disputes.", "ombudsman",
     "complaints officer", "Ombudsmen resolve"),
    ("midwife birth attendant Midwives assist women.", "midwife", "birth attendant",
     "Midwives assist"),
    ("waiter/waitress table waiter waitress Waiters/waitresses supply guests.",
     "waiter/waitress", "table waiter waitress", "Waiters/waitresses supply"),
    ("editor-in-chief chief editor Editors-in-chief oversee news.", "editor-in-chief",
     "chief editor", "Editors-in-chief oversee"),
    ("director of photography camera director Directors of photography light films.",
     "director of photography", "camera director", "Directors of photography light"),
    ("health safety and environmental manager HSE manager Health, safety and environmental "
     "managers design policies.", "health safety and environmental manager", "HSE manager",
     "Health, safety and environmental managers"),
    ("3D animator 3D animators CGI animator 3D animators animate models. They render.",
     "3D animator", "3D animators CGI animator", "3D animators animate"),
    ("eBusiness manager e-commerce manager eBusiness managers create strategies. More.",
     "eBusiness manager", "e-commerce manager", "eBusiness managers create"),
])
def test_split_entry_finds_the_label_by_the_plural_that_opens_the_description(
        text, label, alternatives, opening):
    assert esco_prepare.split_entry(text)[:2] == (label, alternatives)
    assert esco_prepare.split_entry(text)[2].startswith(opening)


def test_split_entry_gives_up_without_a_plural():
    assert esco_prepare.split_entry("foo bar baz qux") is None


@given(st.lists(st.sampled_from(["nurse", "sales", "man", "of", "care", "3D", "chief", "a/b"]),
                min_size=1, max_size=5))
def test_every_label_is_among_its_own_forms(words):
    label = " ".join(words)
    forms = esco_prepare.plurals(label)
    assert label in forms and len(forms) == len(set(forms))
    assert all(len(f.split(" ")) == len(words) for f in forms)


def test_build_is_reproducible_and_leaves_out_isco_groups(tmp_path):
    source = tmp_path / "occupations.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "description"])
        writer.writerow([OCCUPATION + "b", "nurse carer Nurses care for patients."])
        writer.writerow([OCCUPATION + "a", "deckhand Deckhands work on ships."])
        writer.writerow(["http://data.europa.eu/esco/isco/C2221", "Nursing professionals  x"])
        writer.writerow([OCCUPATION + "c", "no plural here at all"])
    first, second = tmp_path / "1.tsv.gz", tmp_path / "2.tsv.gz"
    assert esco_prepare.build(source, first) == (2, [OCCUPATION + "c"])
    esco_prepare.build(source, second)
    assert first.read_bytes() == second.read_bytes()
    lines = gzip.decompress(first.read_bytes()).decode("utf-8").splitlines()
    assert lines == [f"{OCCUPATION}a\tdeckhand\t\tDeckhands work on ships.",
                     f"{OCCUPATION}b\tnurse\tcarer\tNurses care for patients."]


def test_bundled_table_matches_esco_and_loads_as_occupations():
    items = {i.uri: i for i in esco_bundled.occupation_items()}
    assert len(items) == 3039
    for uuid, label in KNOWN.items():
        assert items[OCCUPATION + uuid].labels == {"en": label}
    assert all(i.kind == "occupation" and OCCUPATION in i.uri for i in items.values())
    developer = items[OCCUPATION + "f2b15a0e-e65a-438a-affb-29b9d50b77d1"]
    assert developer.description["en"].startswith("Software developers ")
    assert developer.code == "f2b15a0e-e65a-438a-affb-29b9d50b77d1"
    # Each description opens with its label (made plural), the cue the cut relies on.
    opening = sum(i.description.get("en", "")[:4].casefold() == i.labels["en"][:4].casefold()
                  for i in items.values())
    assert opening == len(items)
