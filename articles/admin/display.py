"""Small HTML pieces shared by the admin pages."""

from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from articles.derived import parties


def count_of(queryset):
    """A subquery counting the rows of ``queryset`` (which filters on an ``OuterRef``)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def swatch(colour, label):
    """A party-colour square followed by ``label``."""
    return format_html(
        '<span style="display:inline-block;width:1em;height:1em;vertical-align:middle;'
        'border:1px solid #0003;border-radius:2px;margin-right:.4em;background:{}"></span>{}',
        colour,
        label,
    )


def change_link(obj, label=None):
    """A link to ``obj``'s change page in the admin."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else obj)


def either(names):
    """“A”, “A or B”, “A, B or C”."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def publication_state(article, now=None):
    """“Draft”, “Published”, or “Scheduled (from 5 June 2027, 09:00)” for a published article
    whose date is still to come (readers do not see it until then)."""
    if article.status == article.Status.PUBLISHED and not article.is_public(now):
        local = timezone.localtime(article.published_at)
        return format_html("Scheduled (from {})", date_format(local, "j F Y, H:i"))
    return article.get_status_display()


def namesake(politician, on):
    """“Gordon Brown (Labour Party on that day; in politics 1983–2015)”: enough to tell one
    politician from another of the same name."""
    party = parties.party_of(politician, on)
    spans = [
        *politician.memberships.values_list("start_date", "end_date"),
        *politician.roles.values_list("start_date", "end_date"),
    ]
    facts = [f"{party} on that day" if party else "no party on that day"]
    if spans:
        starts = [start.year for start, _ in spans if start]
        ends = [end.year for _, end in spans if end]
        still = any(end is None for _, end in spans)
        first = str(min(starts)) if starts else "?"
        last = "" if still else str(max(ends))
        facts.append(f"in politics {first}–{last}")
    return f"{politician.name} ({'; '.join(facts)})"
