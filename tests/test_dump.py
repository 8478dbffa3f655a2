import csv
import datetime as dt
import gzip
import io
import json

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    MembershipFactory,
    MentionFactory,
    PartyFactory,
    PoliticianFactory,
    TopicFactory,
    on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump_dir(settings, tmp_path):
    settings.EXPORT_DUMP_DIR = tmp_path / "dumps"
    return settings.EXPORT_DUMP_DIR


@pytest.fixture
def archive():
    con, ukip = PartyFactory(name="Conservative Party"), PartyFactory(name="UK Independence Party")
    carswell = PoliticianFactory(name="Douglas Carswell")
    MembershipFactory(
        politician=carswell,
        party=con,
        start_date=dt.date(2005, 5, 5),
        end_date=dt.date(2014, 8, 27),
    )
    MembershipFactory(politician=carswell, party=ukip, start_date=dt.date(2014, 8, 28))
    before = ArticleFactory(
        headline="Before", published_at=on(2014, 3, 1), topics=[TopicFactory(name="Europe")]
    )
    after = ArticleFactory(headline="After", published_at=on(2014, 9, 1))
    ArticleFactory(headline="Draft", status=Article.Status.DRAFT)
    MentionFactory(article=before, politician=carswell, role="subject")
    MentionFactory(article=after, politician=carswell, role="quoted")
    return locals()


def read_dump(directory):
    with gzip.open(directory / "articles.csv.gz", "rt", encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    with gzip.open(directory / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return table, records


def test_dump_archive_writes_csv_and_jsonl_of_every_published_article(dump_dir, archive):
    out = io.StringIO()
    call_command("dump_archive", "--base-url", "https://news.example.org/", stdout=out)
    assert "2 articles." in out.getvalue()
    table, records = read_dump(dump_dir)
    header, *rows, marker = table
    assert header[:3] == ["headline", "date", "source"]
    assert marker == ["# end of export: 2 articles"]
    assert [row[0] for row in rows] == ["Before", "After"]  # oldest first
    assert rows[0][3] == "https://news.example.org" + archive["before"].get_absolute_url()
    assert [row[6] for row in rows] == ["Conservative Party", "UK Independence Party"]
    assert [r["headline"] for r in records] == ["Before", "After"]
    before, after = records
    assert before["id"] == archive["before"].pk
    assert before["body"] == archive["before"].body
    assert before["topics"] == ["Europe"]
    assert before["mentions"] == [
        {
            "politician": archive["carswell"].popolo_id or "Douglas Carswell",
            "name": "Douglas Carswell",
            "party": "Conservative Party",
            "role": "subject",
        }
    ]
    assert after["mentions"][0]["party"] == "UK Independence Party"
    assert after["mentions"][0]["role"] == "quoted"
    assert dt.datetime.fromisoformat(after["published_at"]) == archive["after"].published_at
    assert sorted(p.name for p in dump_dir.iterdir()) == ["articles.csv.gz", "articles.jsonl.gz"]


def test_a_new_dump_replaces_the_old_one(dump_dir, archive):
    call_command("dump_archive", stdout=io.StringIO())
    ArticleFactory(headline="Later", published_at=on(2015, 1, 1))
    call_command("dump_archive", stdout=io.StringIO())
    table, records = read_dump(dump_dir)
    assert table[-1] == ["# end of export: 3 articles"]
    assert len(records) == 3
    assert not [p for p in dump_dir.iterdir() if p.name.endswith(".part")]


def test_the_jsonl_dump_can_be_imported_again(dump_dir, archive, tmp_path):
    call_command("dump_archive", stdout=io.StringIO())
    with gzip.open(dump_dir / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        lines = f.read()
    Article.objects.all().delete()
    source = tmp_path / "again.jsonl"
    source.write_text(lines, encoding="utf-8")
    call_command("import_articles", str(source), stdout=io.StringIO(), stderr=io.StringIO())
    again = Article.objects.order_by("published_at")
    assert [a.headline for a in again] == ["Before", "After"]
    assert [m.party.name for a in again for m in a.mentions.all()] == [
        "Conservative Party",
        "UK Independence Party",
    ]


def test_download_page_and_files(client, dump_dir, archive, settings):
    settings.PAGE_CACHE = True  # the page shows a new dump at once all the same
    page = client.get("/export/dumps/")
    assert page.status_code == 200
    assert "No dump has been made yet." in page.content.decode()
    assert client.get("/export/dumps/articles.csv.gz").status_code == 404
    call_command("dump_archive", stdout=io.StringIO())
    page = client.get("/export/dumps/").content.decode()
    size = (dump_dir / "articles.csv.gz").stat().st_size
    assert 'href="/export/dumps/articles.csv.gz"' in page
    assert f"{size:,} bytes" in page
    download = client.get("/export/dumps/articles.csv.gz")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/gzip"
    assert 'filename="articles.csv.gz"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == (dump_dir / "articles.csv.gz").read_bytes()
    assert client.get("/export/dumps/..%2Fsettings.py").status_code == 404
    assert client.get("/export/dumps/db.sqlite3").status_code == 404
