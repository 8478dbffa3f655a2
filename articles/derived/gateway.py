"""The single write path of everything derived from the articles and the memberships.

What is derived: the mentions' copies of their article's date and party (``mentions``), the
stored counts (``counts``), the facet sample (``sample``) and the archive's generation
(``generation``). A write of the base tables reaches it in one of two ways:

* a bulk write (imports, admin actions, set-based updates) runs inside ``change()``::

      with derived.change(articles=ids):
          Article.objects.filter(pk__in=ids).update(status="published")

  which takes the writers' lock, notes what the articles contribute to the counts before the
  block, and when the block ends brings everything up to date in the same transaction;
* a single save or delete reaches the same ``Change`` through the receivers in ``signals``.

Inside an open block, single saves and deletes only name what they touch (their article, their
politician) and the block does the work once at the end; blocks nest, an inner one joining the
outermost. Outside a block, a single edit opens one of its own and recounts the months it touched
from the base tables (a recount compares the stored rows with the tables, so nothing is counted
twice however many receivers name the same month).

Bulk writes of the tracked models outside a block are refused in tests and with debug on
(``guard``).
"""

import contextvars
from collections import Counter
from contextlib import contextmanager

from django.db import transaction

from articles.backends import backend
from articles.models import Mention

from . import counts, generation, sample
from . import mentions as copies

#: The key of the writers' lock: any constant every writer of derived data shares.
LOCK_ID = 0x6E657773

_open = contextvars.ContextVar("derived_change", default=None)


def active():
    """Whether a ``change()`` block is open (in this context)."""
    return _open.get() is not None


class Change:
    """What one block changed, and what must be brought up to date when it ends."""

    def __init__(self):
        self.ids = set()  # articles counted before the block and again after it
        self.before = Counter()
        self.known = Counter()  # what articles created with their contributions add
        self.known_ids = set()
        self.months = set()  # (year, month) to recount from the base tables
        self.dated = set()  # articles whose date changed: their mentions' dates
        self.politicians = set()  # whose memberships changed: their mentions' parties

    def articles(self, ids):
        """The block changes these articles (or their mentions or topics)."""
        new = set(ids) - self.ids
        if new:
            self.before.update(counts.contributions_of(new))
            self.ids |= new

    def created(self, ids, contributions=None):
        """Articles added inside the block: they counted for nothing before it.

        ``contributions`` (from ``counts.contributions_from``), when the caller has the articles
        in memory, saves counting them again from the tables.
        """
        if contributions is None:
            self.ids |= set(ids)
        else:
            self.known.update(contributions)
            self.known_ids |= set(ids)

    def dates_changed(self, article_ids):
        """These articles' dates changed: their mentions' copies follow when the block ends."""
        self.dated |= set(article_ids)

    def memberships_changed(self, politician_ids):
        """These politicians' memberships changed: their mentions' parties follow."""
        self.politicians |= {pk for pk in politician_ids if pk is not None}

    def months_changed(self, months):
        self.months |= {m for m in months if m}

    @property
    def empty(self):
        return not (self.ids or self.known_ids or self.months or self.dated or self.politicians)

    def finish(self):
        """Bring the mentions' copies, the counts and the sample in line with the tables."""
        if self.dated:
            copies.copy_dates(self.dated)
        reparty = self._stale_parties()
        # Articles not counted before the block whose mentions change party: only the party
        # counts can move, so only they are counted before and after.
        others = {article for _, article in reparty} - self.ids - self.known_ids
        party_before = counts.contributions_of(others, [counts.Dimension.PARTY])
        copies.write_parties([pk for pk, _ in reparty])
        delta = counts.contributions_of(self.ids) if self.ids else Counter()
        delta.subtract(self.before)
        delta.update(self.known)
        delta.update(counts.contributions_of(others, [counts.Dimension.PARTY]))
        delta.subtract(party_before)
        counts.add(delta)
        counts.recount(self.months)
        touched = self.ids | self.known_ids | others
        sample.refresh(touched)
        if self.months:
            sample.refresh_months(
                [counts.month_range(year, month) for year, month in sorted(self.months)]
            )
        generation.bump(sample=bool(touched or self.months))

    def _stale_parties(self):
        scope = []
        if self.politicians:
            scope.append(Mention.objects.filter(politician_id__in=sorted(self.politicians)))
        if self.dated:
            scope.append(Mention.objects.filter(article_id__in=sorted(self.dated)))
        stale = set()
        for mentions_in_scope in scope:
            stale.update(copies.stale_parties(mentions_in_scope))
        return sorted(stale)


@contextmanager
def change(articles=(), *, politicians=()):
    """Around a write of the base tables: keep everything derived from them right.

    ``articles``: ids (or a queryset of ids) of the articles the block changes, with their
    mentions and topics; ``politicians``: ids of politicians whose memberships it changes.
    Yields the ``Change``, on which the block may note more (``created``, ``dates_changed``).
    """
    if not isinstance(articles, list | tuple | set | frozenset):
        articles = list(articles)
    block = _open.get()
    if block is not None:
        block.articles(articles)
        block.memberships_changed(politicians)
        yield block
        return
    with transaction.atomic():
        backend().lock(LOCK_ID)
        block = Change()
        block.articles(articles)
        block.memberships_changed(politicians)
        token = _open.set(block)
        try:
            yield block
            if not block.empty:
                block.finish()
        finally:
            _open.reset(token)


def rebuild(*, mentions=True):
    """Rebuild everything derived from the base tables, from scratch; the number of count rows.

    ``mentions``: also give every mention its article's date and its party on that date (off
    for loaders that wrote them by the same rule, ``parties.PartyHistory``).
    """
    with transaction.atomic():
        backend().lock(LOCK_ID)
        token = _open.set(Change())
        try:
            if mentions:
                copies.copy_dates(None)
                copies.write_parties([pk for pk, _ in copies.stale_parties(Mention.objects.all())])
            rows = counts.rebuild()
        finally:
            _open.reset(token)
        generation.bump(sample=True)
    return rows


@contextmanager
def loading(*, mentions=False):
    """Around a raw bulk load of the base tables (the synthetic archive): writes inside are
    allowed past the guard, and everything derived is rebuilt from scratch when it ends."""
    token = _open.set(Change())
    try:
        yield
    finally:
        _open.reset(token)
    rebuild(mentions=mentions)
