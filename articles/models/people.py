"""People and parties: politicians, parties, memberships and the posts they held."""

import functools
import re
import unicodedata

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.formats import HEX_COLOUR, HEX_COLOUR_MESSAGE

from . import plausible
from .base import DatedModel, DatedQuerySet, dates_in_order_constraint, unique_slug
from .querysets import TrackedQuerySet
from .versioning import VersionedModel


class DatePrecision(models.TextChoices):
    """How much of a date the source gave: “1924” is a year, “1924-10” a month."""

    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"


def precision_field(of):
    return models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=f"How precise the {of} is: a year or month stands for its first (start) or "
        "last (end) day.",
    )


hex_colour = RegexValidator(HEX_COLOUR.pattern, HEX_COLOUR_MESSAGE)


class Party(VersionedModel):
    name = models.CharField(
        max_length=200, help_text="Two parties may share a name (Irish and UK “Labour”)."
    )
    short_name = models.CharField(max_length=50, blank=True, help_text="E.g. “Lab”, “Con”.")
    slug = models.SlugField(max_length=200, unique=True)
    colour = models.CharField(
        max_length=7,
        default="#777777",
        validators=[hex_colour],
        help_text="The party's colour as #RRGGBB; used for badges and charts.",
    )
    country = models.CharField(max_length=100, blank=True, default="United Kingdom")
    founding_date = models.DateField(null=True, blank=True)
    dissolution_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, help_text="E.g. Q9630."
    )
    popolo_id = models.CharField(
        "Popolo id",
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text="The organization's id in Popolo data; imports match on it.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"
        constraints = [
            dates_in_order_constraint(
                "party_dissolved_after_founded", start="founding_date", end="dissolution_date"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:party", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, plain_letters(self.name))
        if self.popolo_id == "":
            self.popolo_id = None
        super().save(*args, **kwargs)

    def clean(self):
        plausible.check_dates(self, "founding_date", "dissolution_date")
        if (
            self.founding_date
            and self.dissolution_date
            and self.dissolution_date < self.founding_date
        ):
            raise ValidationError({"dissolution_date": "Dissolution may not be before founding."})

    @property
    def text_colour(self):
        """Black or white, whichever reads better on the party colour (WCAG luminance)."""
        try:
            r, g, b = (int(self.colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        except ValueError:
            return "#ffffff"

        def channel(c):
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
        return "#000000" if luminance > 0.179 else "#ffffff"


def _is_latin(char):
    return unicodedata.name(char, "").startswith("LATIN")


def plain_letters(text):
    """``text`` with its Latin letters written plainly: accents dropped and letters such as ð,
    ø, ł, æ and ß transliterated ("Davíð Öpik" is "David Opik"); other scripts are kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        anyascii(c) if not c.isascii() and _is_latin(c) else c
        for c in decomposed
        if not unicodedata.combining(c)
    )


@functools.cache
def _written_as():
    """{plain letters: every Latin letter written so}, e.g. "o": "oòóôõöøō…", "ss": "ß"."""
    found = {}
    blocks = [(0x00C0, 0x0250), (0x1E00, 0x1F00)]  # Latin-1, Extended-A/B, Additional
    for first, last in blocks:
        for code in range(first, last):
            char = chr(code)
            if not _is_latin(char) or not char.isalpha():
                continue
            plain = plain_letters(char).lower()
            if plain.isascii() and plain.isalpha() and plain != char.lower():
                found.setdefault(plain, set()).update({char, char.lower(), char.upper()})
    return {plain: "".join(sorted(chars)) for plain, chars in found.items()}


def accent_blind_pattern(text):
    """A regular expression (for ``__iregex``, on SQLite and PostgreSQL) that finds ``text``
    however its letters are accented: "Opik" and "Öpik" both find "Öpik"."""
    written, plain, parts, i = _written_as(), plain_letters(text).lower(), [], 0
    while i < len(plain):
        two = plain[i : i + 2]
        if len(two) == 2 and two in written:  # "ss" is also "ß", "ae" also "æ"
            parts.append(f"(?:{re.escape(two)}|[{written[two]}])")
            i += 2
            continue
        char = plain[i]
        parts.append(f"[{char}{written[char]}]" if char in written else re.escape(char))
        i += 1
    return "".join(parts)


class PoliticianQuerySet(models.QuerySet):
    def search(self, text):
        """Politicians any of whose names (including other names) contain ``text``, accents
        or none ("Opik" finds Lembit Öpik)."""
        text = (text or "").strip()
        if not text:
            return self
        pattern = accent_blind_pattern(text)
        return self.filter(
            Q(name__iregex=pattern)
            | Q(sort_name__iregex=pattern)
            | Q(other_names__name__iregex=pattern)
        ).distinct()


class Politician(VersionedModel):
    name = models.CharField(max_length=200, help_text="The name as usually written.")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(
        max_length=100, blank=True, help_text="Used alone in articles (“Corbyn”)."
    )
    sort_name = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="Filled from the family name if empty."
    )
    slug = models.SlugField(max_length=200, unique=True)
    birth_date = models.DateField(null=True, blank=True)
    death_date = models.DateField(null=True, blank=True)
    birth_precision = precision_field("birth date")
    death_precision = precision_field("death date")
    biography = models.TextField(blank=True, help_text="A short biography, plain text.")
    image_url = models.URLField(blank=True, max_length=500)
    wikidata_id = models.CharField("Wikidata id", max_length=20, blank=True)
    popolo_id = models.CharField(
        "Popolo id",
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text="The person's id in Popolo data; imports match on it.",
    )

    objects = PoliticianQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            dates_in_order_constraint(
                "politician_died_after_born", start="birth_date", end="death_date"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:politician", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.family_name and " " in self.name.strip():
            self.family_name = self.name.strip().rsplit(" ", 1)[1]
        if not self.sort_name:
            self.sort_name = (
                f"{self.family_name}, {self.given_name}".strip(", ")
                if self.family_name
                else self.name
            )
        if not self.slug:
            self.slug = unique_slug(self, plain_letters(self.name))
        if self.popolo_id == "":
            self.popolo_id = None
        super().save(*args, **kwargs)

    def clean(self):
        plausible.check_dates(self, "birth_date", "death_date")
        if self.birth_date and self.death_date and self.death_date < self.birth_date:
            raise ValidationError({"death_date": "Death may not be before birth."})

    def current_roles(self):
        return self.roles.active_on(timezone.localdate())

    def lock_order(self):
        # The politician's page saves its memberships and roles too.
        return [
            *super().lock_order(),
            PartyMembership._base_manager.filter(politician_id=self.pk),
            Role._base_manager.filter(politician_id=self.pk),
        ]


class HeldByPolitician:
    """For a politician's memberships and roles: their politician is locked before them."""

    def lock_order(self):
        stored = type(self)._base_manager.filter(pk=self.pk).values("politician_id")
        politicians = Politician._base_manager.filter(Q(pk__in=stored) | Q(pk=self.politician_id))
        return [politicians, *super().lock_order()]


class OtherName(DatedModel):
    politician = models.ForeignKey(Politician, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200, help_text="An alias, a former name, a title.")
    note = models.CharField(max_length=200, blank=True)
    lang = models.CharField(
        "language", max_length=35, blank=True, help_text="The name's language, e.g. “fa”, “en-gb”."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["politician", "name"], name="unique_other_name"),
            dates_in_order_constraint("other_name_dates_in_order"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_dates()


class MembershipQuerySet(TrackedQuerySet, DatedQuerySet):
    def current(self):
        """Memberships that hold today."""
        return self.active_on(timezone.localdate())


class PartyMembership(HeldByPolitician, DatedModel, VersionedModel):
    politician = models.ForeignKey(Politician, on_delete=models.CASCADE, related_name="memberships")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="memberships")
    start_precision = precision_field("start date")
    end_precision = precision_field("end date")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["politician", "start_date"]
        indexes = [
            models.Index(fields=["politician", "start_date"], name="membership_person_start")
        ]
        constraints = [dates_in_order_constraint("membership_dates_in_order")]
        # PostgreSQL also refuses overlapping memberships of any parties (migration 0016).

    def __str__(self):
        return f"{self.politician} – {self.party} ({self.period})"

    @property
    def period(self):
        start = self.start_date.isoformat() if self.start_date else "?"
        end = self.end_date.isoformat() if self.end_date else "present"
        return f"{start} to {end}"

    def clashes(self):
        """The politician's other memberships, of any party, whose dates overlap this one's."""
        return (
            PartyMembership.objects.filter(politician_id=self.politician_id)
            .exclude(pk=self.pk)
            .overlapping(self.start_date, self.end_date)
            .select_related("party")
            .order_by(F("start_date").asc(nulls_first=True), "pk")
        )

    def clean(self):
        self.clean_dates()
        if self.politician_id and self.party_id:
            clash = self.clashes().first()
            if clash:
                raise ValidationError(
                    overlap_message(self.party_id, clash.party, clash.period), code="overlap"
                )


def overlap_message(party_id, other_party, period):
    """Why a membership of ``party_id`` may not overlap one of ``other_party`` in ``period``."""
    if other_party.pk == party_id:
        return f"This overlaps another membership of the same party ({period})."
    return (
        f"This overlaps the {other_party.name} membership ({period}): a politician is a "
        "member of one party at a time."
    )


class Area(models.Model):
    """A place a post represents, e.g. a constituency (Popolo ``areas[]``)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    classification = models.CharField(
        max_length=100, blank=True, help_text="E.g. “constituency” (Popolo ``type``)."
    )
    popolo_id = models.CharField(
        "Popolo id",
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text="The area's id in Popolo data; imports match on it.",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="area_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:politicians") + f"?area={self.slug}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, plain_letters(self.name))
        if self.popolo_id == "":
            self.popolo_id = None
        super().save(*args, **kwargs)


IDENTIFIER_LINKS = {
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "theyworkforyou": ("TheyWorkForYou", "https://www.theyworkforyou.com/mp/?p={}"),
    "parlparse": ("TheyWorkForYou", "https://www.theyworkforyou.com/mp/?p={}"),
}


class Identifier(models.Model):
    """An id another system gives the record (Popolo ``identifiers[]``); imports match on it."""

    scheme = models.CharField(max_length=100, help_text="E.g. “wikidata”, “parlparse”.")
    identifier = models.CharField(max_length=200)

    class Meta:
        abstract = True
        ordering = ["scheme", "identifier"]

    def __str__(self):
        return f"{self.scheme}: {self.identifier}"

    @property
    def site(self):
        """The name of the site ``url`` is on."""
        return IDENTIFIER_LINKS.get(self.scheme.lower(), ("", ""))[0]

    @property
    def url(self):
        """A public page for the identifier, where its scheme has one."""
        pattern = IDENTIFIER_LINKS.get(self.scheme.lower(), ("", ""))[1]
        if not pattern:
            return ""
        scheme, value = self.scheme.lower(), self.identifier.strip()
        if scheme == "parlparse":
            value = value.rsplit("/", 1)[-1]  # uk.org.publicwhip/person/10001
        if scheme == "wikidata":
            ok = len(value) > 1 and value[0] == "Q" and value[1:].isascii() and value[1:].isdigit()
        else:
            ok = value.isascii() and value.isdigit()
        return pattern.format(value) if ok else ""


class PoliticianIdentifier(Identifier):
    politician = models.ForeignKey(
        "Politician", on_delete=models.CASCADE, related_name="identifiers"
    )

    class Meta(Identifier.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "identifier"], name="unique_politician_identifier"
            )
        ]


class PartyIdentifier(Identifier):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="identifiers")

    class Meta(Identifier.Meta):
        constraints = [
            models.UniqueConstraint(fields=["scheme", "identifier"], name="unique_party_identifier")
        ]


class AreaIdentifier(Identifier):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="identifiers")

    class Meta(Identifier.Meta):
        constraints = [
            models.UniqueConstraint(fields=["scheme", "identifier"], name="unique_area_identifier")
        ]


class Role(HeldByPolitician, DatedModel, VersionedModel):
    politician = models.ForeignKey(Politician, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="E.g. “Leader of the Labour Party”.")
    organisation = models.CharField(
        max_length=200, blank=True, help_text="Optional, e.g. “HM Government”, “Labour Party”."
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
        help_text="The constituency a seat represents.",
    )
    start_precision = precision_field("start date")
    end_precision = precision_field("end date")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["politician", "start_date"]
        indexes = [models.Index(fields=["politician", "start_date"], name="role_person_start")]
        constraints = [dates_in_order_constraint("role_dates_in_order")]
        # PostgreSQL also refuses overlapping roles of the same title and organisation
        # (migration 0016).

    def __str__(self):
        return f"{self.title} ({self.politician})"

    def clean(self):
        self.clean_dates()
        if self.politician_id and self.title:
            clash = (
                Role.objects.filter(
                    politician_id=self.politician_id,
                    title=self.title,
                    organisation=self.organisation,
                )
                .exclude(pk=self.pk)
                .overlapping(self.start_date, self.end_date)
                .exists()
            )
            if clash:
                raise ValidationError(
                    "This person already holds this post in this organisation in an overlapping "
                    "period."
                )
