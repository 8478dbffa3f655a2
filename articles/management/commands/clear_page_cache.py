from django.core.cache import caches
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Empty the cache that holds the public pages (the 'default' cache: Redis with REDIS_URL). "
        "Run after restoring a backup or pointing the site at another database; scripts/restore.sh "
        "runs it."
    )

    def handle(self, *args, **options):
        caches["default"].clear()
        self.stdout.write("The page cache is empty.")
