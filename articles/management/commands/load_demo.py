"""Load the demo archive: people and parties, the seed article and the articles written for it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.io.importers.articles import import_articles
from articles.io.importers.cli import Progress
from articles.io.importers.popolo import import_popolo
from articles.models import Article, Mention, Politician, Source

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


class Command(BaseCommand):
    help = (
        "Load the demo archive: politicians and parties (Popolo), the seed article with its six "
        "politicians confirmed, and the articles written for the demo. Safe to run again."
    )

    def handle(self, *args, **options):
        self.step("People and parties", import_popolo(POPOLO_FILE, atomic=True, progress=None))
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
        Source.objects.filter(name=SEED_SOURCE, homepage="").update(homepage=SEED_SOURCE_HOMEPAGE)
        seed = Article.objects.get(url=SEED_URL)
        changed = confirm_seed_mentions(seed)
        self.stdout.write(f"Seed mentions: {len(SEED_MENTIONS)} confirmed, {changed} changed")
        self.step(
            "Demo articles",
            import_articles([ARTICLES_FILE], atomic=True, progress=Progress(self, "articles")),
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
