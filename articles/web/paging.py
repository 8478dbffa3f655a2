"""Paginators for the article browser."""

from functools import cached_property

from django.core.paginator import Paginator

from articles.derived.counts import month_range

SEEK_FROM = 1000  # results to skip before deep pages seek their month


class CountedPaginator(Paginator):
    """A paginator told the number of results (the facet counts already know it)."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count

    def correct_count(self, count):
        """Replace the number of results (an estimate, once the last page shows the real one)."""
        self.known_count = count
        for name in ("count", "num_pages"):
            self.__dict__.pop(name, None)


class SeekingPaginator(CountedPaginator):
    """Deep pages of articles in date order, read from the month their first article is in.

    ``months`` ({(year, month): articles}) are the exact monthly counts of the results. Page
    1,000 of a million articles would make the database step over 19,980 rows; with the counts,
    the page starts at the right month and steps over at most that month's rows. The articles
    are the same (tests compare the two).
    """

    def __init__(self, object_list, per_page, *, count, months, oldest_first=False, **kwargs):
        super().__init__(object_list, per_page, count=count, **kwargs)
        self.months, self.oldest_first = months, oldest_first

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < SEEK_FROM or not self.months:
            return super().page(number)
        before = 0  # results in the months shown before the one the page starts in
        for year, month in sorted(self.months, reverse=not self.oldest_first):
            if before + self.months[(year, month)] > bottom:
                break
            before += self.months[(year, month)]
        start, end = month_range(year, month)
        if self.oldest_first:
            rest = self.object_list.filter(published_at__gte=start)
        else:
            rest = self.object_list.filter(published_at__lt=end)
        offset = bottom - before
        return self._get_page(rest[offset : offset + self.per_page], number, self)
