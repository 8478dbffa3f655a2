"""Load the demo archive: people and parties, the seed article and the articles written for it.

Running it again creates what is missing and never changes or duplicates a record that is there
already, however an editor has changed it since: demo people and parties are matched by their
Popolo id, the seed article by its URL and the demo articles by the slug their headline gave
them (which stays when an editor retitles an article).
"""

import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.io.importers.articles import import_articles
from articles.io.importers.cli import Progress
from articles.io.importers.popolo import import_popolo
from articles.io.importers.prepared import headline_slug
from articles.models import Article, Mention, Party, Politician, Source

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
POPOLO_FILE = DEMO_DIR / "popolo.json"
ARTICLES_FILE = DEMO_DIR / "articles.jsonl"
SEED_FILE = DEMO_DIR / "seed" / "000_1d74e5b3318ec141.txt"

# The seed as supplied has no date, source or mentions. Its text dates it: the Labour MPs' vote
# of no confidence in Jeremy Corbyn was held on Tuesday 28 June 2016. The text is word for word
# the article Sharecast News published that day.
SEED_SOURCE = "Sharecast News"
SEED_SOURCE_HOMEPAGE = "https://www.sharecast.com/"
SEED_URL = (
    "https://sharecast.com/news/political-news/"
    "uk-labours-corbyn-loses-no-confidence-vote-after-brexit-campaign--1226384.html"
)
SEED_PUBLISHED_AT = "2016-06-28"
SEED_MENTIONS = {
    "person/jeremy-corbyn": Mention.Role.SUBJECT,
    "person/hilary-benn": Mention.Role.MENTIONED,
    "person/diane-abbott": Mention.Role.QUOTED,
    "person/tony-blair": Mention.Role.MENTIONED,
    "person/gordon-brown": Mention.Role.MENTIONED,
    "person/david-cameron": Mention.Role.MENTIONED,
}


def confirm_seed_mentions(article) -> int:
    """Confirm the seed's six politicians with their roles and drop any other suggestion for
    it; returns how many mentions changed (0 when they already were as they should be)."""
    people = dict(
        Politician.objects.filter(popolo_id__in=SEED_MENTIONS).values_list("popolo_id", "pk")
    )
    missing = sorted(set(SEED_MENTIONS) - set(people))
    if missing:
        raise CommandError(f"The seed's politicians are missing: {', '.join(missing)}")
    changed = 0
    with transaction.atomic():
        have = {m.politician_id: m for m in article.mentions.all()}
        for popolo_id, role in SEED_MENTIONS.items():
            mention = have.get(people[popolo_id]) or Mention(
                article=article, politician_id=people[popolo_id]
            )
            if mention.pk and mention.role == role and mention.state == Mention.State.CONFIRMED:
                continue
            mention.role, mention.state = role, Mention.State.CONFIRMED
            mention.save()
            changed += 1
        deleted, _ = (
            article.mentions.suggested().exclude(politician_id__in=people.values()).delete()
        )
    return changed + deleted


def missing_people(document):
    """The demo Popolo ``document`` less the people and parties the archive has already (and
    those people's memberships): what a new run may create."""
    ids = [record["id"] for record in document.get("persons", [])]
    known = set(Politician.objects.filter(popolo_id__in=ids).values_list("popolo_id", flat=True))
    parties = set(Party.objects.exclude(popolo_id=None).values_list("popolo_id", flat=True))
    return {
        **document,
        "persons": [p for p in document.get("persons", []) if p["id"] not in known],
        "organizations": [o for o in document.get("organizations", []) if o["id"] not in parties],
        "memberships": [m for m in document.get("memberships", []) if m["person_id"] not in known],
    }


def missing_articles(path):
    """The lines of the demo articles file whose article the archive does not have yet."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    slugs = {headline_slug(json.loads(line)["headline"]): line for line in lines}
    have = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [line for slug, line in slugs.items() if slug not in have]


class Command(BaseCommand):
    help = (
        "Load the demo archive: politicians and parties (Popolo), the seed article with its six "
        "politicians confirmed, and the articles written for the demo. Safe to run again."
    )

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as folder:
            people = Path(folder) / "popolo.json"
            document = json.loads(POPOLO_FILE.read_text(encoding="utf-8"))
            people.write_text(json.dumps(missing_people(document)), encoding="utf-8")
            self.step("People and parties", import_popolo(people, atomic=True, progress=None))
            if Article.objects.filter(url=SEED_URL).exists():
                self.stdout.write("Seed article: there already (left as it is)")
            else:
                self.step(
                    "Seed article",
                    import_articles(
                        [SEED_FILE],
                        source=SEED_SOURCE,
                        published_at=SEED_PUBLISHED_AT,
                        url=SEED_URL,
                        atomic=True,
                    ),
                )
                Source.objects.filter(name=SEED_SOURCE, homepage="").update(
                    homepage=SEED_SOURCE_HOMEPAGE
                )
                changed = confirm_seed_mentions(Article.objects.get(url=SEED_URL))
                self.stdout.write(
                    f"Seed mentions: {len(SEED_MENTIONS)} confirmed, {changed} changed"
                )
            missing = missing_articles(ARTICLES_FILE)
            if not missing:
                self.stdout.write("Demo articles: 0 created, 0 updated (all there already)")
            else:
                articles = Path(folder) / "articles.jsonl"
                articles.write_text("".join(line + "\n" for line in missing), encoding="utf-8")
                self.step(
                    "Demo articles",
                    import_articles([articles], atomic=True, progress=Progress(self, "articles")),
                )
        self.stdout.write(
            f"The archive holds {Politician.objects.count()} politicians and "
            f"{Article.objects.count()} articles."
        )

    def step(self, label, report):
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(f"{label}: {report}")
        self.stdout.write(f"{label}: {report}")
