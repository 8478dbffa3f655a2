"""Hostile import files: refused with a message naming the file (and line), nothing invalid kept.

``test_import_articles.py`` and ``test_import_popolo.py`` cover single bad records and small
unreadable files through the import functions; these go through the management commands with
files built to hurt: many megabytes, cut off mid-record, the wrong encoding, random bytes,
nesting deep enough to exhaust a recursive parser, Popolo with the wrong types, NUL bytes.
"""

import io
import json
import random
import re
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import (
    Article,
    Mention,
    OtherName,
    Party,
    PartyMembership,
    Politician,
    Role,
    Source,
    Topic,
)

pytestmark = pytest.mark.django_db

MODELS = [Article, Mention, OtherName, Party, PartyMembership, Politician, Role, Source, Topic]
GOOD_ARTICLE = {
    "headline": "A good article",
    "body": "Nothing to see.",
    "published_at": "2016-06-01",
    "source": "The Example Times",
}
GOOD_POPOLO = {
    "organizations": [
        {"id": "party/labour", "classification": "party", "name": "Labour", "color": "#E4003B"}
    ],
    "persons": [{"id": "person/a", "name": "Alice Example"}],
    "memberships": [
        {"person_id": "person/a", "organization_id": "party/labour", "start_date": "2001"}
    ],
}


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def jsonl(*records):
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def run(command, *args):
    """Run ``command``; the CommandError's text and the lines it wrote to stderr."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(command, *[str(a) for a in args], stdout=io.StringIO(), stderr=stderr)
    progress = re.compile(r"^[\d,]+ \w+ \([\d,]+/s\)$")
    return str(refused.value), [
        line for line in stderr.getvalue().splitlines() if not progress.match(line)
    ]


def import_articles(*args):
    return run("import_articles", *args)


def import_popolo(*args):
    return run("import_popolo", *args)


# Articles ----------------------------------------------------------------------------------


def test_file_of_many_megabytes_on_one_line_is_refused_by_line(tmp_path):
    path = tmp_path / "huge.jsonl"
    with path.open("w") as handle:
        handle.write(json.dumps(dict(GOOD_ARTICLE, body="x" * (12 * 1024 * 1024))) + "\n")
        handle.write("y" * (3 * 1024 * 1024))  # no newline at the end
    before = counts()

    message, lines = import_articles(path, "--atomic")

    assert "2 failed" in message and "nothing written" in message
    assert lines == [f"{path}:1: line longer than 1 MB", f"{path}:2: line longer than 1 MB"]
    assert counts() == before


def test_many_megabytes_of_lines_keep_the_good_ones_and_name_the_bad(tmp_path):
    path = tmp_path / "mixed.jsonl"
    big = json.dumps(dict(GOOD_ARTICLE, body="z" * (1024 * 1024 + 1)))
    good = [dict(GOOD_ARTICLE, headline=f"Good {n}") for n in range(3)]
    path.write_text("\n".join([json.dumps(good[0]), big, big, json.dumps(good[1]), big]) + "\n")
    path.write_text(path.read_text() + jsonl(good[2]))

    message, lines = import_articles(path)

    assert "3 created" in message and "3 failed" in message
    assert lines == [f"{path}:{n}: line longer than 1 MB" for n in (2, 3, 5)]
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Good 0",
        "Good 1",
        "Good 2",
    ]


def test_file_cut_off_mid_record(tmp_path):
    path = tmp_path / "cut.jsonl"
    text = jsonl(GOOD_ARTICLE, dict(GOOD_ARTICLE, headline="Second"))
    path.write_text(text[: len(text) - 30])

    message, lines = import_articles(path)

    assert "1 created" in message and "1 failed" in message
    (line,) = lines
    assert line.startswith(f"{path}:2: not valid JSON")
    assert list(Article.objects.values_list("headline", flat=True)) == ["A good article"]


def test_atomic_keeps_nothing_from_a_file_cut_off_mid_record(tmp_path):
    path = tmp_path / "cut.jsonl"
    text = jsonl(GOOD_ARTICLE, dict(GOOD_ARTICLE, headline="Second"))
    path.write_text(text[: len(text) - 30])
    before = counts()

    message, lines = import_articles(path, "--atomic")

    assert "nothing written" in message
    assert lines[0].startswith(f"{path}:2: not valid JSON")
    assert counts() == before


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32"])
def test_wrongly_encoded_jsonl_is_refused_line_by_line(tmp_path, encoding):
    path = tmp_path / f"{encoding}.jsonl"
    record = dict(GOOD_ARTICLE, headline="Café société", body="Naïve façade")
    path.write_bytes(jsonl(record, dict(record, headline="Über")).encode(encoding))
    before = counts()

    message, lines = import_articles(path, "--atomic")

    assert "nothing written" in message
    assert f"{path}:1: " in lines[0]
    assert lines[0].endswith("not UTF-8 text (save the file as UTF-8)") or (
        "not valid JSON" in lines[0]  # UTF-16 without a BOM: ASCII and NUL bytes
    )
    assert all(line.startswith(f"{path}:") for line in lines)
    assert counts() == before


def test_wrongly_encoded_text_article_names_the_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Headline\n\nA first paragraph.\n\nCafé in Latin-1.\n".encode("latin-1"))

    message, lines = import_articles(path, "--source", "Reuters", "--published-at", "2016-06-28")

    assert "1 failed" in message
    assert lines == [f"{path}:5: not UTF-8 text (save the file as UTF-8)"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("suffix", [".jsonl", ".txt"])
def test_binary_garbage_is_refused(tmp_path, suffix):
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(random.Random(6).randbytes(256 * 1024))
    before = counts()

    message, lines = import_articles(
        path, "--source", "Reuters", "--published-at", "2016-06-28", "--atomic"
    )

    assert "failed" in message and "nothing written" in message
    assert lines and all(line.startswith(f"{path}:") for line in lines)
    assert any("not UTF-8" in line for line in lines)
    assert counts() == before


def test_deeply_nested_line_is_refused_and_the_next_line_read(tmp_path):
    path = tmp_path / "nested.jsonl"
    bomb = '{"headline": ' + "[" * 200_000 + "]" * 200_000 + "}"
    path.write_text(bomb + "\n" + jsonl(GOOD_ARTICLE))

    message, lines = import_articles(path)

    assert "1 created" in message and "1 failed" in message
    (line,) = lines
    assert line.startswith(f"{path}:1: ")
    assert "nested too deeply" in line or "longer than 1 MB" in line or "must be" in line
    assert Article.objects.get().headline == "A good article"


def test_records_of_the_wrong_shape_are_refused_by_line(tmp_path):
    path = tmp_path / "shapes.jsonl"
    path.write_text(
        jsonl(
            dict(GOOD_ARTICLE, headline=["a", "list"]),
            dict(GOOD_ARTICLE, body={"an": "object"}),
            dict(GOOD_ARTICLE, source=12),
            dict(GOOD_ARTICLE, topics="not a list"),
            dict(GOOD_ARTICLE, mentions=[["person/a", "subject"]]),
            dict(GOOD_ARTICLE, published_at=20160601),
            dict(GOOD_ARTICLE, headline="x" * 301),
            "just a string",
            None,
        )
    )
    before = counts()

    message, lines = import_articles(path)

    assert "9 failed" in message
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:{n}" for n in range(1, 10)]
    assert counts() == before


def test_text_file_with_nul_bytes_is_refused_with_its_line(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Headline\n\nA fine paragraph.\n\nA bad\x00 one.\n")

    message, lines = import_articles(path, "--source", "Reuters", "--published-at", "2016-06-28")

    assert "1 failed" in message
    (line,) = lines
    assert line.startswith(str(path)) and "NUL" in line
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_nul_bytes_in_a_jsonl_source_or_topic_write_nothing(tmp_path):
    path = tmp_path / "nul.jsonl"
    path.write_text(
        jsonl(
            dict(GOOD_ARTICLE, source="Bad\x00Source"),
            dict(GOOD_ARTICLE, headline="T", topics=["Bad\x00Topic"]),
            dict(GOOD_ARTICLE, headline="B", byline="By\x00line"),
            dict(GOOD_ARTICLE, headline="M", mentions=[{"politician": "Alice\x00"}]),
        )
    )

    message, lines = import_articles(path)

    assert "4 failed" in message
    assert [line.split(": ", 1)[0] for line in lines] == [f"{path}:{n}" for n in (1, 2, 3, 4)]
    assert all("NUL" in line for line in lines)
    assert counts() == {model.__name__: 0 for model in MODELS}


def test_atomic_over_several_files_writes_nothing_when_one_is_hostile(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(jsonl(GOOD_ARTICLE, dict(GOOD_ARTICLE, headline="Another")))
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe\x00garbage\n")
    before = counts()

    message, lines = import_articles(good, bad, "--atomic")

    assert "nothing written" in message
    assert lines == [f"{bad}:1: not UTF-8 text (save the file as UTF-8)"]
    assert counts() == before


BEYOND_INT_DIGITS = "9" * (sys.get_int_max_str_digits() + 1)  # json.loads raises ValueError


def bad_values_file(tmp_path):
    """Good articles on lines 1, 3 and 6; a number too long for Python and dates at the very
    end of the calendar (one day short of overflowing when made local or moved a day on)."""
    path = tmp_path / "edges.jsonl"
    good = [dict(GOOD_ARTICLE, headline=f"Good {n}") for n in range(3)]
    huge = json.dumps(GOOD_ARTICLE)[:-1] + f', "words": {BEYOND_INT_DIGITS}}}'
    lines = [
        json.dumps(good[0]),
        huge,
        json.dumps(good[1]),
        json.dumps(dict(GOOD_ARTICLE, headline="End of time", published_at="9999-12-31T23:59:59")),
        json.dumps(dict(GOOD_ARTICLE, headline="Far east", published_at="9999-12-31T23:00+14:00")),
        json.dumps(good[2]),
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_huge_number_or_the_end_of_the_calendar_fails_its_line_only(tmp_path):
    path = bad_values_file(tmp_path)

    message, lines = import_articles(path)

    assert "3 created, 0 updated, 0 unchanged, 3 failed" in message
    limit = sys.get_int_max_str_digits()
    assert lines[0] == f"{path}:2: not readable JSON (a number of more than {limit:,} digits)"
    for line, number in zip(lines[1:], (4, 5), strict=True):
        assert line.startswith(f"{path}:{number}: ")
        assert "published_at" in line and "9999-12-31" in line
    assert len(lines) == 3
    assert set(Article.objects.values_list("headline", flat=True)) == {"Good 0", "Good 1", "Good 2"}


def test_atomic_keeps_nothing_when_a_line_has_a_huge_number_or_the_end_of_the_calendar(tmp_path):
    path = bad_values_file(tmp_path)

    message, lines = import_articles(path, "--atomic")

    assert "nothing written" in message
    assert [line.split(": ")[0] for line in lines] == [f"{path}:{n}" for n in (2, 4, 5)]
    assert counts() == {model.__name__: 0 for model in MODELS}


# Popolo ------------------------------------------------------------------------------------


def test_popolo_cut_off_mid_record_writes_nothing(tmp_path):
    path = tmp_path / "cut.json"
    text = json.dumps(GOOD_POPOLO, indent=2)
    path.write_text(text[: text.index('"Alice Example"') + 8])

    message, lines = import_popolo(path)

    assert "1 failed" in message
    (line,) = lines
    assert line.startswith(f"{path}:") and "not valid JSON" in line
    assert line.split(":")[1].isdigit()  # the line where the document stops
    assert counts() == {model.__name__: 0 for model in MODELS}


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "utf-32"])
def test_popolo_in_another_encoding_is_refused(tmp_path, encoding):
    path = tmp_path / "people.json"
    document = dict(GOOD_POPOLO, persons=[{"id": "person/a", "name": "Zoë Façade"}])
    path.write_bytes(json.dumps(document, ensure_ascii=False).encode(encoding))

    message, lines = import_popolo(path)

    assert "1 failed" in message
    (line,) = lines
    assert line.startswith(f"{path}:") and "not UTF-8" in line
    assert not Politician.objects.exists()


def test_popolo_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "garbage.json"
    path.write_bytes(random.Random(7).randbytes(2 * 1024 * 1024))

    message, lines = import_popolo(path)

    assert "1 failed" in message
    (line,) = lines
    assert line.startswith(f"{path}") and ("not UTF-8" in line or "not valid JSON" in line)
    assert counts() == {model.__name__: 0 for model in MODELS}


@pytest.mark.parametrize("depth", [10_000, 1_000_000])
def test_deeply_nested_popolo_is_refused(tmp_path, depth):
    path = tmp_path / "bomb.json"
    path.write_text('{"persons": ' + "[" * depth + "]" * depth + "}")

    message, lines = import_popolo(path)

    assert "failed" in message
    assert lines and all(line.startswith(str(path)) for line in lines)
    assert counts() == {model.__name__: 0 for model in MODELS}


def test_many_megabyte_popolo_of_junk_persons_is_refused_record_by_record(tmp_path):
    path = tmp_path / "many.json"
    persons = [{"id": f"person/{n}", "name": ["not", "a", "string"]} for n in range(20_000)]
    persons.append({"id": "person/ok", "name": "Fine Person", "biography": "b" * 4_000_000})
    path.write_text(json.dumps({"persons": persons}))
    assert path.stat().st_size > 4_000_000

    message, lines = import_popolo(path, "--atomic")

    assert "20000 failed" in message and "nothing written" in message
    # One line for the 20,000 records with the same problem, naming the first few.
    assert lines[0] == (
        f"{path}: name must be a string, not list "
        "(20,000 records: persons[0], persons[1], persons[2], …)"
    )
    assert not Politician.objects.exists()


WRONG_TYPES = [
    ({"persons": {"id": "person/a"}}, "persons"),
    ({"persons": ["person/a"]}, "persons"),
    ({"persons": [{"id": ["person/a"], "name": "A"}]}, "id must be a string"),
    ({"persons": [{"id": "person/a", "name": {"first": "A"}}]}, "name must be a string"),
    ({"persons": [{"id": "person/a", "name": "A", "other_names": "B"}]}, "other_names"),
    ({"persons": [{"id": "person/a", "name": "A", "other_names": [["B"]]}]}, "other_names"),
    ({"persons": [{"id": "person/a", "name": "A", "birth_date": 1949}]}, "birth_date"),
    ({"persons": [{"id": "person/a", "name": "A", "identifiers": "Q1"}]}, "identifiers"),
    ({"persons": [{"id": "person/a", "name": "A", "biography": ["x"]}]}, "biography"),
    ({"persons": [{"id": "person/a", "name": "A", "image": 5}]}, "image"),
    ({"organizations": [{"id": "o", "name": ["Labour"], "classification": "party"}]}, "name"),
    (
        {"organizations": [{"id": "o", "name": "L", "classification": "party", "color": [1]}]},
        "color",
    ),
    ({"memberships": "none"}, "memberships"),
    (
        {
            **GOOD_POPOLO,
            "memberships": [
                {"person_id": ["person/a"], "organization_id": "party/labour"},
            ],
        },
        "person_id",
    ),
    (
        {
            **GOOD_POPOLO,
            "memberships": [
                {"person_id": "person/a", "organization_id": "party/labour", "start_date": []},
            ],
        },
        "start_date",
    ),
    ({"persons": [{"id": "person/a", "name": "A\x00B"}]}, "NUL"),
]


@pytest.mark.parametrize(("document", "named"), WRONG_TYPES)
def test_popolo_with_wrong_types_is_refused_naming_the_record(tmp_path, document, named):
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(document))

    message, lines = import_popolo(path, "--atomic")

    assert "failed" in message and "nothing written" in message
    assert lines and all(line.startswith(f"{path}:") for line in lines)
    assert any(named in line for line in lines), lines
    assert counts() == {model.__name__: 0 for model in MODELS}


def test_popolo_with_a_number_too_long_for_python_refuses_that_record_only(tmp_path):
    path = tmp_path / "people.json"
    persons = [
        {"id": "person/a", "name": "Alice Example"},
        {"id": "person/b", "name": "Bob Example", "biography": 0},
        {"id": "person/c", "name": "Cy Example"},
    ]
    text = json.dumps(dict(GOOD_POPOLO, persons=persons))
    path.write_text(text.replace('"biography": 0', f'"biography": {BEYOND_INT_DIGITS}'))

    message, lines = import_popolo(path)

    assert "1 failed" in message
    assert lines == [
        f"{path}:persons[1]: biography must be a string, not a number of "
        f"{len(BEYOND_INT_DIGITS):,} digits (id 'person/b')"
    ]
    assert set(Politician.objects.values_list("name", flat=True)) == {
        "Alice Example",
        "Cy Example",
    }
    assert PartyMembership.objects.count() == 1
