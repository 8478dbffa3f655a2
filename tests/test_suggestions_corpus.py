"""Mention suggestions measured on a labelled corpus: news stories of 2003-2011 in the style of
BBC politics reports, against 242 real MPs of 1997-2015 loaded from a Popolo file.

The corpus (tests/fixtures/suggestions/corpus.txt, written out as articles.jsonl) is full of the
traps of real news text: first names read as family names ("David", "Andrew", "Sir Howard
Newby"), everyday words and places ("Welsh councils", "Key Stages", "Milton Keynes"), titles
("Lord Goldsmith", "Lord Hutton"), other people's names ("Dr David Kelly", "Michael Jackson"),
namesakes not yet in politics (Zac Goldsmith in 2005) and shared family names (five Browns,
six Smiths, three Howarths).
"""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.io.importers.articles import import_articles
from articles.io.importers.popolo import import_popolo
from articles.models import Mention
from articles.names.evaluation import evaluate_suggestions
from tests.factories import PoliticianFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "suggestions"
PEOPLE = FIXTURES / "people.json"
ARTICLES = FIXTURES / "articles.jsonl"
# Each trap, and the politician it used to be taken for.
TRAPS = {
    "Hutton clears government over Kelly": {"Wayne David", "Ruth Kelly", "John Hutton"},
    "Pressure grows over war legal advice": {"Zac Goldsmith"},
    "Universities warn of funding gap": {"Michael Howard", "Robert Key"},
    "Welsh councils face tax revaluation": {"Andrew Welsh"},
    "Milton Keynes to double in size": {"Anne Milton"},
    "Prince Andrew defends envoy role": {"Stuart Andrew"},
    "Ecologist editor attacks climate plans": {"Zac Goldsmith"},
    "Jowell defends TV coverage of trials": {"Glenda Jackson"},
    "Blair visits Welsh valleys": {"Wayne David", "Andrew Welsh"},
    "John Howard wins fourth term": set(),  # Mr Howard is John Howard here; Michael is named
    "Blair congratulates Australian leader": {"Michael Howard"},
    "Holmes double gold celebrated": {"Paul Holmes", "Ruth Kelly"},
    "UK backs Hague tribunal": {"William Hague"},
    "Police arrest Lord Levy": set(),
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def mps():
    report = import_popolo(PEOPLE)
    assert report.failed == 0, report.errors


def test_precision_and_recall_on_the_labelled_corpus(mps, capsys):
    evaluation = evaluate_suggestions(ARTICLES)

    assert evaluation.problems == []
    assert evaluation.articles >= 60
    assert evaluation.precision >= 0.95, "\n".join(evaluation.lines())
    assert evaluation.recall >= 0.9, "\n".join(evaluation.lines())
    wrong = {(link.headline, link.politician) for link in evaluation.wrong}
    assert not {(h, name) for h, names in TRAPS.items() for name in names} & wrong

    # The command prints the same figures.
    call_command("evaluate_suggestions", str(ARTICLES))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{evaluation.articles} articles, ")
    assert lines[1].startswith(f"precision {evaluation.precision:.3f} ")
    assert lines[2].startswith(f"recall    {evaluation.recall:.3f} ")


def test_every_wrong_link_comes_with_its_sentence(tmp_path):
    PoliticianFactory(name="Geoff Hoon", given_name="Geoff", family_name="Hoon")
    PoliticianFactory(name="Tony Blair", given_name="Tony", family_name="Blair")
    # A text with a deliberate mistake in its labels: Mr Hoon is named but not labelled.
    record = {
        "headline": "Hoon visits Basra",
        "body": "Defence Secretary Geoff Hoon flew to Basra. Mr Hoon met troops.",
        "published_at": "2004-05-20T09:00:00",
        "source": "BBC News",
        "mentions": [{"politician": "Tony Blair"}],
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")

    evaluation = evaluate_suggestions(path)

    assert (evaluation.precision, evaluation.recall) == (0.0, 0.0)
    [wrong] = evaluation.wrong
    assert (wrong.politician, wrong.sentence) == (
        "Geoff Hoon",
        "Defence Secretary Geoff Hoon flew to Basra.",
    )
    assert [m.politician for m in evaluation.missed] == ["Tony Blair"]


def test_evaluate_suggestions_command_refuses_a_file_without_labels(tmp_path):
    path = tmp_path / "unlabelled.jsonl"
    record = {"headline": "Blair speaks", "body": "Tony Blair spoke.",
              "published_at": "2004-05-20T09:00:00", "source": "BBC News"}  # fmt: skip
    path.write_text(json.dumps(record) + "\n")

    with pytest.raises(CommandError, match="no labelled article"):
        call_command("evaluate_suggestions", str(path))


def test_confirmed_suggestions_of_an_import_avoid_the_traps(mps, tmp_path):
    records = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    unlabelled = tmp_path / "unlabelled.jsonl"
    unlabelled.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if k != "mentions"}) + "\n" for r in records)
    )

    report = import_articles([unlabelled], confirm_suggestions=True)

    assert (report.created, report.failed) == (len(records), 0)
    confirmed = set(
        Mention.objects.confirmed().values_list("article__headline", "politician__name")
    )
    labelled = {(r["headline"], m["politician"]) for r in records for m in r["mentions"]}
    assert len(confirmed & labelled) / len(confirmed) >= 0.95
    assert len(confirmed & labelled) / len(labelled) >= 0.9
    assert not {(h, name) for h, names in TRAPS.items() for name in names} & confirmed
