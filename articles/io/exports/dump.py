"""The full-archive dump: every published article as gzipped CSV and JSON Lines, in one pass.

Each file is written under a temporary name in the dump folder and renamed into place once
complete, so the files offered for download are always whole (and a cut-off download fails
gzip's check). Both are written from the same rows, so they describe the same articles.
"""

import gzip
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import orjson

from articles.models import Article

from .batches import article_batches
from .csv import HEADER, CsvText, article_row, end_marker

CSV_NAME = "articles.csv.gz"
JSONL_NAME = "articles.jsonl.gz"
DUMP_NAMES = (CSV_NAME, JSONL_NAME)


@dataclass(frozen=True)
class DumpResult:
    articles: int
    files: tuple  # paths


def json_record(article, base_url=""):
    """One JSON Lines record: the fields ``import_articles`` reads, plus the article page and
    each politician's party on the date."""
    return {
        "id": article.id,
        "headline": article.headline,
        "standfirst": article.standfirst,
        "body": article.body,
        "published_at": article.published_at.isoformat(),
        "source": article.source,
        "url": article.url or None,
        "byline": article.byline,
        "status": article.status,
        "page": base_url + article.path,
        "topics": article.topics,
        "mentions": [
            {
                "politician": m.popolo_id or m.politician,
                "name": m.politician,
                "party": m.party or None,
                "role": m.role,
            }
            for m in article.mentions
        ],
    }


def _temporary(directory, name):
    handle, path = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".part")
    os.close(handle)
    return Path(path)


def _finish(path, final):
    with open(path, "rb") as written:
        os.fsync(written.fileno())
    os.chmod(path, 0o644)
    os.replace(path, final)


def dump_archive(*, directory, base_url="", queryset=None):
    """Write ``articles.csv.gz`` and ``articles.jsonl.gz`` of every published article (oldest
    first) to ``directory``, replacing the previous dump only once both are complete."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    articles = Article.objects.published() if queryset is None else queryset
    articles = articles.order_by("published_at", "id")
    parts = {name: _temporary(directory, name) for name in DUMP_NAMES}
    count = 0
    try:
        with (
            gzip.open(parts[CSV_NAME], "wt", encoding="utf-8", newline="") as csv_file,
            gzip.open(parts[JSONL_NAME], "wb") as jsonl_file,
        ):
            csv_text = CsvText()
            csv_file.write(csv_text.rows([HEADER]))
            for batch in article_batches(articles, text=True):
                count += len(batch)
                csv_file.write(csv_text.rows(article_row(a, base_url) for a in batch))
                jsonl_file.write(
                    b"".join(orjson.dumps(json_record(a, base_url)) + b"\n" for a in batch)
                )
            csv_file.write(csv_text.rows([[end_marker(count)]]))
        for name, part in parts.items():
            _finish(part, directory / name)
    finally:
        for part in parts.values():
            part.unlink(missing_ok=True)
    return DumpResult(articles=count, files=tuple(directory / name for name in DUMP_NAMES))


def latest_dump(directory):
    """(name, size in bytes, modified datetime) of each dump file present in ``directory``."""
    import datetime as dt

    from django.utils import timezone

    found = []
    for name in DUMP_NAMES:
        path = Path(directory) / name
        if path.is_file():
            stat = path.stat()
            when = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
            found.append((name, stat.st_size, timezone.localtime(when)))
    return found
