"""The benchmark workload: real requests through the whole Django stack, timed on the server.

Used by ``manage.py benchmark`` (``make bench``). It never asserts; it measures and reports.
"""

import contextlib
import datetime as dt
import platform
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from articles.backends import backend
from articles.derived import parties
from articles.models import (
    Article,
    ArticleCount,
    Author,
    Mention,
    Party,
    Politician,
    Source,
    Topic,
)

STOPWORDS = {
    "the", "and", "with", "from", "that", "this", "after", "before", "over", "into", "about",
    "than", "said", "says", "will", "would", "could", "more", "most", "their", "they", "which",
    "what", "when", "were", "been", "have",
}  # fmt: skip

NOTES_HEADING = "## Notes"  # docs/performance.md keeps what follows this across runs

TARGETS = {  # page type -> (p50 ms, p95 ms), from the performance issue
    "browse": (50, 200),
    "search": (80, 250),
    "timeline": (40, 150),
    "party": (50, 200),
    "article": (20, 60),
    "home": (20, 60),
    "api": (50, 200),
}


@dataclass
class PageResult:
    name: str
    kind: str
    url: str
    status: int = 0
    times_ms: list = field(default_factory=list)
    queries: int = 0
    heaviest_sql: str = ""
    heaviest_ms: float = 0.0

    def percentile(self, p):
        ordered = sorted(self.times_ms)
        if not ordered:
            return 0.0
        k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
        return ordered[k]


def _words(limit=2000):
    """Word frequencies in a sample of recent headlines and standfirsts."""
    counts = Counter()
    sample = Article.objects.published().values_list("headline", "standfirst")[:limit]
    for headline, standfirst in sample:
        for word in re.findall(r"[a-z]{4,}", f"{headline} {standfirst}".lower()):
            if word not in STOPWORDS:
                counts[word] += 1
    return counts


def workload():
    """(name, page type, URL) for every request of the fixed workload."""
    by_coverage = list(
        Mention.objects.confirmed()
        .values("politician")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("politician", flat=True)
    )
    if not by_coverage:
        raise RuntimeError("The archive has no mentions: run generate_archive first.")
    top = Politician.objects.get(pk=by_coverage[0])
    median = Politician.objects.get(pk=by_coverage[len(by_coverage) // 2])
    party = Party.objects.filter(
        pk=Mention.objects.exclude(party=None)
        .values("party")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values("party")[:1]
    ).first()
    top_party = parties.party_of(
        top, Article.objects.published().mentioning(top).first().published_on
    )
    newest = Article.objects.published().first()
    year = newest.published_on.year - 3
    words = _words()
    common = words.most_common(1)[0][0] if words else "government"
    rare = min(words, key=lambda w: (words[w], w)) if words else "referendum"
    topic = Topic.objects.first()
    source = Source.objects.first()
    prolific = (
        ArticleCount.objects.filter(dimension="author", year=0, month=0)
        .order_by("-n", "key")
        .values_list("key", flat=True)
        .first()
    )
    author = Author.objects.filter(pk=prolific).first()

    pages = [
        ("home", "home", reverse("articles:home")),
        ("browse unfiltered", "browse", "/articles/"),
        ("browse: most-mentioned politician", "browse", f"/articles/?politician={top.slug}"),
        ("browse: median politician", "browse", f"/articles/?politician={median.slug}"),
        (
            "browse: politician + party",
            "browse",
            f"/articles/?politician={top.slug}&party={(top_party or party).slug}",
        ),
        ("browse: party + year", "browse", f"/articles/?party={party.slug}&year={year}"),
        ("browse: topic + source", "browse", f"/articles/?topic={topic.slug}&source={source.slug}"),
        *(
            [("browse: most prolific author", "browse", f"/articles/?author={author.slug}")]
            if author
            else []
        ),
        ("search: common word", "search", f"/articles/?q={common}"),
        ("search: rare word", "search", f"/articles/?q={rare}"),
        ("search + facet", "search", f"/articles/?q={common}&politician={top.slug}"),
        ("search: sort by relevance", "search", f"/articles/?q={common}&sort=relevance"),
        ("browse: page 1,000", "browse", "/articles/?page=1000"),
        ("timeline: most-mentioned", "timeline", top.get_absolute_url()),
        ("timeline: median", "timeline", median.get_absolute_url()),
        ("party page", "party", party.get_absolute_url()),
        ("article page", "article", newest.get_absolute_url()),
    ]
    for name, path in [
        ("API: articles", "/api/articles/"),
        ("API: articles by politician", f"/api/articles/?politician={top.slug}"),
        ("API: politician", f"/api/politicians/{top.slug}/"),
        ("API: party", f"/api/parties/{party.slug}/"),
    ]:
        with contextlib.suppress(Resolver404):
            resolve(path.split("?")[0])
            pages.append((name, "api", path))
    return pages


def _heaviest(captured):
    """The slowest statement of a request, timed again on its own."""
    best_sql, best_ms = "", 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            elapsed = (time.perf_counter() - start) * 1000
            if elapsed > best_ms:
                best_sql, best_ms = sql, elapsed
    return best_sql, best_ms


def run(*, repeat=5, only=(), log=print):
    """Warm up once, then time every page ``repeat`` times; returns PageResults.

    ``only``: names (or parts of names) of the pages to time; all of them when empty.
    """
    client = Client(raise_request_exception=False)
    results = []
    pages = [page for page in workload() if not only or any(text in page[0] for text in only)]
    for name, _kind, url in pages:  # warm-up pass
        start = time.perf_counter()
        status = client.get(url).status_code
        log(f"warm-up  {name:40} {status} {(time.perf_counter() - start) * 1000:8.1f} ms")
    for name, kind, url in pages:
        result = PageResult(name, kind, url)
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            result.times_ms.append((time.perf_counter() - start) * 1000)
            result.status = response.status_code
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        result.queries = len(captured.captured_queries)
        result.heaviest_sql, result.heaviest_ms = _heaviest(captured.captured_queries)
        log(
            f"{name:40} {result.status} p50 {result.percentile(50):8.1f} ms  "
            f"p95 {result.percentile(95):8.1f} ms  {result.queries:3} queries"
        )
        results.append(result)
    return results


def resident_memory_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sizes():
    return {
        "articles": Article.objects.count(),
        "mentions": Mention.objects.count(),
        "politicians": Politician.objects.count(),
        "parties": Party.objects.count(),
        "topics": Topic.objects.count(),
        "sources": Source.objects.count(),
    }


def machine():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if "model name" in ln), "")
    except OSError:
        model = ""
    import os

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    database = backend().describe()
    return {
        "cpu": f"{os.cpu_count()} cores, {model}".strip(", "),
        "memory": f"{memory:.0f} GiB",
        "python": platform.python_version(),
        "database": database,
        "caching": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }


def report_markdown(results, *, extra=None):
    """docs/performance.md: the measured figures against the targets."""
    lines = [
        "# Performance",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
        "(`python manage.py benchmark`): every page requested through the whole Django stack "
        "(middleware, views, templates) with caching off, after `VACUUM (ANALYZE)` and one "
        "warm-up pass.",
        "",
        "## Machine and data",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in machine().items()]
    lines += [f"- {key}: {value:,}" for key, value in sizes().items()]
    lines += [
        "",
        "## Pages",
        "",
        "| page | type | status | p50 ms | p95 ms | max ms | queries "
        "| heaviest SQL alone ms | target p50/p95 | met |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]  # fmt: skip
    for r in results:
        p50, p95 = TARGETS.get(r.kind, (None, None))
        met = p50 is not None and r.percentile(50) <= p50 and r.percentile(95) <= p95
        lines.append(
            f"| {r.name} | {r.kind} | {r.status} | {r.percentile(50):.1f} | {r.percentile(95):.1f} "
            f"| {max(r.times_ms):.1f} | {r.queries} | {r.heaviest_ms:.1f} | {p50}/{p95} "
            f"| {'yes' if met else '**no**'} |"
        )
    lines += ["", "## Heaviest statement per page", ""]
    for r in results:
        sql = " ".join(r.heaviest_sql.split())
        lines += [f"- **{r.name}** ({r.heaviest_ms:.1f} ms): `{sql[:600]}`"]
    if extra:
        lines += ["", "## Other measurements", ""]
        lines += [f"- {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def write_jsonl(path, *, lines, politician_names, seed=1):
    """A JSONL file of ``lines`` invented articles: half list their mentions, half leave them
    to the name suggestions (the politicians' names appear in the text either way)."""
    import json
    import random

    rng = random.Random(seed)
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(lines):
            names = rng.sample(politician_names, 2)
            record = {
                "headline": f"{names[0]} answers {names[1]} on item {i}",
                "standfirst": f"A statement from {names[0]}.",
                "body": f"{names[0]} spoke today.\n\n{names[1]} replied later in the day.",
                "published_at": (start + dt.timedelta(minutes=13 * i)).isoformat(),
                "source": f"Imported source {i % 20}",
                "url": f"https://example.org/imported/{i}",
                "topics": [f"Imported topic {i % 30}"],
                "status": "published",
            }
            if i % 2 == 0:
                record["mentions"] = [
                    {"politician": names[0], "role": "subject"},
                    {"politician": names[1], "role": "quoted"},
                ]
            out.write(json.dumps(record) + "\n")


def import_throughput(*, lines=100_000, log=print):
    """Articles per second of ``import_articles`` on a generated JSONL file, in a throw-away
    database holding a small archive (``workloads.scratch_archive``), so the benchmark archive is
    never written to. Returns (articles per second, seconds).
    """
    import os
    import subprocess
    import tempfile

    from articles.tools.workloads import scratch_archive

    with scratch_archive("import") as (env, manage, names), tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "articles.jsonl")
        write_jsonl(path, lines=lines, politician_names=names)
        start = time.perf_counter()
        subprocess.run(
            [*manage, "import_articles", path, "-v", "0"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
    log(f"import_articles: {lines:,} lines in {seconds:.1f} s ({lines / seconds:,.0f}/s)")
    return lines / seconds, seconds
