import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.derived.parties import party_of
from articles.io.importers.articles import import_articles
from articles.io.importers.popolo import import_popolo
from articles.models import AmbiguousName, Article, Author, Mention, Politician, Source, Topic
from tests.factories import ArticleFactory, SourceFactory, on

DATA = Path(__file__).parent / "data" / "articles"
GOOD = DATA / "good.jsonl"
BAD = DATA / "bad.jsonl"
SEED = DATA / "seed_000_1d74e5b3318ec141.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    report = import_popolo(DATA / "people.json")
    assert report.ok, report.errors
    return {p.name: p for p in Politician.objects.all()}


def mentions(article):
    return {
        (m.politician.name, m.role, m.state) for m in article.mentions.select_related("politician")
    }


def snapshot():
    return (
        list(Article.objects.order_by("id").values()),
        list(Mention.objects.order_by("id").values()),
        list(AmbiguousName.objects.order_by("id").values("article", "name")),
        list(Article.topics.through.objects.order_by("id").values()),
    )


def test_jsonl_articles_with_given_mentions_by_id_and_by_name(people):
    report = import_articles([GOOD])

    assert report.ok, report.errors
    assert report.created == 4
    vote = Article.objects.get(url="https://example.org/2016/06/28/corbyn-vote")
    assert vote.published_on == dt.date(2016, 6, 28)
    assert vote.source.name == "The Example Times"
    assert vote.byline == "A. Reporter"
    assert vote.status == Article.Status.PUBLISHED
    assert vote.paragraphs()[1] == "Hilary Benn had been sacked two days earlier."
    assert set(vote.topics.values_list("name", flat=True)) == {"Labour leadership", "Parliament"}
    assert mentions(vote) == {
        ("Jeremy Corbyn", "subject", "confirmed"),
        ("Hilary Benn", "mentioned", "confirmed"),
    }
    assert {m.party.short_name for m in vote.mentions.all()} == {"Lab"}
    assert {m.published_on for m in vote.mentions.all()} == {dt.date(2016, 6, 28)}


def test_date_only_and_draft_status(people):
    import_articles([GOOD])

    cameron = Article.objects.get(headline="Cameron announces resignation")
    assert cameron.status == Article.Status.DRAFT
    assert cameron.published_on == dt.date(2016, 6, 24)
    assert mentions(cameron) == {("David Cameron", "quoted", "confirmed")}
    assert cameron.get_absolute_url().startswith("/articles/2016/06/24/")


def test_articles_without_mentions_get_suggestions_and_ambiguous_names(people):
    import_articles([GOOD])

    pensions = Article.objects.get(headline="Brown warns on pensions")
    assert mentions(pensions) == {("Jeremy Corbyn", "mentioned", "suggested")}
    assert pensions.mentions.get().party.short_name == "Lab"
    ambiguous = pensions.ambiguous_names.get()
    assert ambiguous.name == "Brown"
    assert set(ambiguous.candidates.values_list("name", flat=True)) == {
        "Gordon Brown",
        "Nick Brown",
    }
    # Named in full once, the family name alone is no longer ambiguous.
    returns = Article.objects.get(headline="Gordon Brown returns to the campaign")
    assert mentions(returns) == {("Gordon Brown", "subject", "suggested")}
    assert not returns.ambiguous_names.exists()


def test_confirm_suggestions_confirms_the_unambiguous_ones(people):
    import_articles([GOOD], confirm_suggestions=True)

    pensions = Article.objects.get(headline="Brown warns on pensions")
    assert mentions(pensions) == {("Jeremy Corbyn", "mentioned", "confirmed")}
    assert pensions.ambiguous_names.get().name == "Brown"


def test_second_run_reports_everything_unchanged_and_changes_nothing(people):
    import_articles([GOOD])
    before = snapshot()

    report = import_articles([GOOD])

    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 0, 4, 0)
    assert snapshot() == before


def test_matched_by_url_then_updated(people, tmp_path):
    import_articles([GOOD])
    changed = tmp_path / "changed.jsonl"
    line = json.loads(GOOD.read_text().splitlines()[0])
    line.update(headline="Corbyn loses no-confidence vote", topics=["Parliament", "Polls"])
    changed.write_text(json.dumps(line) + "\n")

    report = import_articles([changed])

    assert (report.created, report.updated) == (0, 1)
    article = Article.objects.get(url=line["url"])
    assert article.headline == "Corbyn loses no-confidence vote"
    assert set(article.topics.values_list("name", flat=True)) == {
        "Labour leadership",
        "Parliament",
        "Polls",
    }
    assert Article.objects.count() == 4


def test_matched_by_source_headline_and_local_date_without_url(people, tmp_path):
    existing = ArticleFactory(
        headline="Late night vote",
        source=SourceFactory(name="The Example Times"),
        published_at=on(2016, 6, 28, 23),
        body="Old text.",
    )
    path = tmp_path / "late.jsonl"
    # 23:30 in London on the 28th is 22:30 UTC: the same local day.
    record = {
        "headline": "Late night vote",
        "body": "New text.",
        "published_at": "2016-06-28T22:30:00Z",
        "source": "The Example Times",
    }
    path.write_text(json.dumps(record) + "\n")

    report = import_articles([path])

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.body == "New text."


def test_same_headline_on_another_day_is_another_article(tmp_path):
    ArticleFactory(
        headline="Budget day", source=SourceFactory(name="S"), published_at=on(2016, 3, 16)
    )
    path = tmp_path / "budget.jsonl"
    path.write_text(
        json.dumps(
            {"headline": "Budget day", "body": "B.", "published_at": "2017-03-08", "source": "S"}
        )
        + "\n"
    )

    report = import_articles([path])

    assert report.created == 1
    first, second = Article.objects.order_by("published_at")
    assert first.slug != second.slug


def test_the_same_article_twice_in_one_file_is_one_article(tmp_path):
    path = tmp_path / "twice.jsonl"
    record = {"headline": "Twice", "body": "Once.", "published_at": "2016-01-01", "source": "S"}
    path.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n")

    report = import_articles([path])

    assert (report.created, report.unchanged) == (1, 1)
    assert Article.objects.count() == 1


def test_new_sources_and_topics_are_created_once(people):
    import_articles([GOOD])

    assert set(Source.objects.values_list("name", flat=True)) == {
        "The Example Times",
        "Evening Example",
    }
    assert Topic.objects.count() == 3
    assert all(s.slug for s in Source.objects.all())


def test_bad_records_are_reported_by_file_and_line_and_good_ones_kept(people):
    report = import_articles([BAD])

    reasons = {e.line: e.reason for e in report.errors}
    assert all(e.file == str(BAD) for e in report.errors)
    assert reasons[2].startswith("not valid JSON")
    assert reasons[3] == "missing headline"
    assert reasons[4].startswith("bad published_at '28/06/2016'")
    assert reasons[5].startswith("unknown role 'hero'")
    assert reasons[6] == "unknown politician 'person/nobody'"
    assert reasons[7].startswith("unknown status 'archived'")
    assert reasons[8].startswith("expected a JSON object")
    assert (report.created, report.failed) == (2, 7)
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "A good article before the bad ones",
        "A good article after the bad ones",
    }


def test_atomic_writes_nothing_when_a_record_fails(people):
    report = import_articles([GOOD, BAD], atomic=True)

    assert report.rolled_back
    assert report.failed == 7
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_name_that_fits_two_politicians_is_an_error_for_given_mentions(people, tmp_path):
    path = tmp_path / "brown.jsonl"
    record = {
        "headline": "Brown",
        "body": "Text.",
        "published_at": "2016-01-01",
        "source": "S",
        "mentions": [{"politician": "Brown"}, {"politician": "Nick Brown"}],
    }
    path.write_text(json.dumps(record) + "\n")
    record["mentions"] = [{"politician": "nick brown", "role": "subject"}]
    record["headline"] = "Nick Brown"
    path.write_text(path.read_text() + json.dumps(record) + "\n")

    report = import_articles([path])

    (error,) = report.errors
    assert (error.line, error.reason) == (1, "unknown politician 'Brown'")
    assert mentions(Article.objects.get()) == {("Nick Brown", "subject", "confirmed")}


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("not_utf8.jsonl", 2, "not UTF-8 text (save the file as UTF-8)"),
        ("empty.jsonl", None, "the file is empty"),
        ("missing.jsonl", None, "no such file"),
        ("headline_only.txt", 1, "no body: the headline is the only line"),
    ],
)
def test_unreadable_files_are_reported_without_a_traceback(name, line, reason):
    report = import_articles([DATA / name], source="S", published_at="2016-01-01")

    assert [(e.file, e.line, e.reason) for e in report.errors] == [(str(DATA / name), line, reason)]


def test_not_utf8_line_does_not_stop_the_good_lines():
    report = import_articles([DATA / "not_utf8.jsonl"])

    assert report.created == 1
    assert Article.objects.get().headline == "Fine"


def test_oversize_line_is_an_error_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "big.jsonl"
    good = {"headline": "Small", "body": "Small.", "published_at": "2016-01-01", "source": "S"}
    huge = dict(good, headline="Huge", body="x" * (1024 * 1024 + 10))
    path.write_text(json.dumps(huge) + "\n" + json.dumps(good) + "\n")

    report = import_articles([path])

    assert [(e.line, e.reason) for e in report.errors] == [(1, "line longer than 1 MB")]
    assert Article.objects.get().headline == "Small"


def test_unknown_file_kind(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text("headline,body\n")

    (error,) = import_articles([path]).errors

    assert "unknown kind of file" in error.reason


def test_seed_text_file_with_source_date_and_url(people):
    report = import_articles(
        [SEED],
        source="Reuters",
        published_at="2016-06-28T18:00:00",
        url="https://example.org/reuters/corbyn",
    )

    assert report.ok, report.errors
    article = Article.objects.get()
    assert article.headline.startswith("UK Labour's Corbyn refuses to stand down")
    assert article.url == "https://example.org/reuters/corbyn"
    assert article.source.name == "Reuters"
    assert article.published_on == dt.date(2016, 6, 28)
    assert len(article.paragraphs()) == len(SEED.read_text().strip().splitlines()) - 1
    names = {m.politician.name for m in article.mentions.all()}
    assert names == {"Jeremy Corbyn", "Hilary Benn", "Gordon Brown", "David Cameron"}
    assert not article.ambiguous_names.exists()
    assert article.mentions.get(politician__name="David Cameron").party.short_name == "Con"

    again = import_articles([SEED], source="Reuters", published_at="2016-06-28T18:00:00")
    assert (again.created, again.unchanged) == (0, 1)


def test_text_file_needs_a_source_and_a_date():
    report = import_articles([SEED], published_at="2016-06-28")

    assert str(report.errors[0]) == f"{SEED}:1: no source for a text file (give --source)"
    assert not Article.objects.exists()


def test_command_prints_errors_as_file_and_line_and_fails(people):
    stderr, stdout = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="2 created, 0 updated, 0 unchanged, 7 failed"):
        call_command("import_articles", str(BAD), stderr=stderr, stdout=stdout)

    assert f"{BAD}:3: missing headline" in stderr.getvalue().splitlines()
    assert Article.objects.count() == 2


def test_command_atomic_and_options(people):
    with pytest.raises(CommandError, match="nothing written"):
        call_command("import_articles", str(BAD), "--atomic", stderr=io.StringIO())
    assert not Article.objects.exists()

    stdout = io.StringIO()
    call_command(
        "import_articles",
        str(SEED),
        "--source=Reuters",
        "--published-at=2016-06-28",
        "--url=https://example.org/seed",
        "--confirm-suggestions",
        stdout=stdout,
        stderr=io.StringIO(),
    )
    assert "1 created" in stdout.getvalue()
    assert set(Article.objects.get().mentions.values_list("state", flat=True)) == {"confirmed"}


def test_command_rejects_a_bad_published_at_option():
    with pytest.raises(CommandError, match="bad --published-at 'yesterday'"):
        call_command("import_articles", str(SEED), "--source=S", "--published-at=yesterday")


def test_command_shows_progress_on_long_runs(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "headline": f"Story {i}",
                    "body": "Text.",
                    "published_at": "2016-01-01",
                    "source": "S",
                }
            )
            + "\n"
            for i in range(1500)
        )
    )
    stderr = io.StringIO()

    call_command("import_articles", str(path), stderr=stderr, stdout=io.StringIO())

    assert stderr.getvalue().startswith("1,000 articles (")
    assert Article.objects.count() == 1500
    assert len(set(Article.objects.values_list("slug", flat=True))) == 1500


def test_party_of_each_mention_is_the_party_on_the_article_date(tmp_path):
    import_popolo(Path(__file__).parent / "data" / "popolo" / "good.json")
    path = tmp_path / "carswell.jsonl"
    days = ["2014-08-27", "2014-08-28", "2017-03-31", "2017-04-01"]
    path.write_text(
        "".join(
            json.dumps(
                {
                    "headline": f"Carswell on {day}",
                    "body": "Douglas Carswell spoke.",
                    "published_at": f"{day}T12:00:00",
                    "source": "S",
                    "mentions": [{"politician": "person/douglas-carswell", "role": "subject"}],
                }
            )
            + "\n"
            for day in days
        )
    )

    assert import_articles([path]).ok

    parties = {
        str(m.published_on): m.party.short_name if m.party else None
        for m in Mention.objects.select_related("party")
    }
    assert parties == {
        "2014-08-27": "Con",
        "2014-08-28": "UKIP",
        "2017-03-31": "UKIP",
        "2017-04-01": None,
    }
    for mention in Mention.objects.select_related("politician"):
        assert mention.party == party_of(mention.politician, mention.published_on)


def test_local_times_around_clock_changes_import_once(tmp_path):
    path = tmp_path / "clocks.jsonl"
    # 01:30 on 27 March 2016 did not exist in London; 01:30 on 30 October 2016 happened twice.
    path.write_text(
        "".join(
            json.dumps(
                {"headline": f"At {when}", "body": "B.", "published_at": when, "source": "S"}
            )
            + "\n"
            for when in ("2016-03-27T01:30:00", "2016-10-30T01:30:00")
        )
    )

    assert import_articles([path]).created == 2
    again = import_articles([path])

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_text_with_a_nul_character_is_refused_with_its_line(tmp_path):
    path = tmp_path / "nul.jsonl"
    good = {"headline": "Fine", "body": "Fine.", "published_at": "2016-01-01", "source": "S"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(dict(good, body="Bad\u0000")) + "\n")

    report = import_articles([path])

    assert [(e.line, e.reason) for e in report.errors] == [(2, "body contains a NUL character")]
    assert report.created == 1


def test_bylines_file_authors_and_a_changed_byline_replaces_them(tmp_path):
    from articles.derived import counts

    path = tmp_path / "bylined.jsonl"
    records = [
        {
            "headline": "One",
            "body": "Text.",
            "published_at": "2016-06-28T09:00:00Z",
            "source": "S",
            "url": "https://example.org/1",
            "byline": "By Jane Doe and John Roe",
        },
        {
            "headline": "Two",
            "body": "Text.",
            "published_at": "2016-06-29T09:00:00Z",
            "source": "S",
            "url": "https://example.org/2",
            "byline": "Ann Lee, Jane Doe and Bo Wu",
        },
        {
            "headline": "Three",
            "body": "Text.",
            "published_at": "2016-06-29T10:00:00Z",
            "source": "S",
            "url": "https://example.org/3",
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))

    import_articles([path])

    def authors(url):
        article = Article.objects.get(url=url)
        return [a.name for a in article.authors.order_by("articleauthor")]

    assert authors("https://example.org/1") == ["Jane Doe", "John Roe"]
    assert authors("https://example.org/2") == ["Ann Lee", "Jane Doe", "Bo Wu"]
    assert authors("https://example.org/3") == []
    assert Author.objects.count() == 4
    jane = Author.objects.get(name="Jane Doe")
    assert counts.totals("author")[jane.pk] == 2

    records[0]["byline"] = "By John Roe"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    report = import_articles([path])

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert authors("https://example.org/1") == ["John Roe"]
    assert counts.totals("author")[jane.pk] == 1
    assert Author.objects.count() == 4  # nothing filed twice
