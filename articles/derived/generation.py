"""The archive's generation: one number that changes whenever the archive does.

Cached pages are stored under it (``articles.web.cache``), so a page stored before a change is
never read again. ``bump()`` moves it on when the current transaction commits.
"""

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import F

GENERATION_ROW = 1


def generation():
    """The current generation number (0 before the first change)."""
    from articles.models import PageGeneration

    number = (
        PageGeneration.objects.filter(pk=GENERATION_ROW).values_list("number", flat=True).first()
    )
    return number or 0


def _increment(using):
    from articles.models import PageGeneration

    rows = PageGeneration.objects.using(using).filter(pk=GENERATION_ROW)
    if not rows.update(number=F("number") + 1):
        # First change ever: create the row (a concurrent creator wins harmlessly), then count.
        PageGeneration.objects.using(using).bulk_create(
            [PageGeneration(pk=GENERATION_ROW, number=0)], ignore_conflicts=True
        )
        rows.update(number=F("number") + 1)


def bump(*, using=None):
    """Move the page cache on when the current transaction on ``using`` commits.

    Call it after any write that bypasses model signals (``QuerySet.update()``,
    ``bulk_create()``, raw SQL, COPY). Pages stored under the old number are never served again.
    """
    from articles.models import PageGeneration

    using = using or router.db_for_write(PageGeneration) or DEFAULT_DB_ALIAS
    connection = transaction.get_connection(using)
    # One write per transaction: skip if this transaction already has one to run at commit (a
    # savepoint rolled back since may have dropped it, so look in the on-commit list).
    pending = getattr(connection, "_page_cache_bump", None)
    if (
        pending is not None
        and connection.in_atomic_block
        and any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        return

    def increment():
        if connection._page_cache_bump is increment:
            connection._page_cache_bump = None
        _increment(using)

    connection._page_cache_bump = increment
    transaction.on_commit(increment, using=using)
