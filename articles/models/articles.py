"""Articles, where they come from, what they are about, and whom they mention."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from . import plausible
from .base import unique_slug
from .people import Party, Politician
from .querysets import ArticleQuerySet, TrackedQuerySet
from .versioning import VersionedModel


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True, max_length=500)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:source", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class Author(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class Article(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=255, unique=True)
    standfirst = models.TextField(blank=True, help_text="One or two sentences under the headline.")
    body = models.TextField(help_text="Plain text; paragraphs are separated by blank lines.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No index of its own: article_source_published leads with it.
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="articles", db_index=False
    )
    byline = models.CharField(
        max_length=200, blank=True, help_text="As printed; the authors are filed below."
    )
    authors = models.ManyToManyField(
        Author, through="ArticleAuthor", related_name="articles", blank=True
    )
    url = models.URLField(
        "original URL",
        max_length=500,
        unique=True,
        null=True,
        blank=True,
        help_text="Where the article was first published.",
    )
    topics = models.ManyToManyField(
        Topic, through="ArticleTopic", related_name="articles", blank=True
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Readers see published articles once their date has come.",
    )
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_date"),
            # A source's articles in date order; with the status, a source filter reads this
            # index alone (an index-only scan).
            models.Index(
                fields=["source", "-published_at", "-id"],
                include=["status"],
                name="article_source_published",
            ),
            # Year and source facet counts read this index alone (an index-only scan).
            models.Index(
                fields=["status", "published_at"],
                include=["source"],
                name="article_status_date_source",
            ),
            # The newest edit, for the sitemap index's lastmod: the first row read backwards.
            models.Index(fields=["updated_at"], name="article_updated"),
        ]

    def __str__(self):
        return self.headline

    def clean(self):
        plausible.ARTICLES.check(self.published_at, "published_at")

    @property
    def published_on(self):
        """The publication date in the archive's time zone."""
        return timezone.localdate(self.published_at)

    def get_absolute_url(self):
        on = self.published_on
        return reverse(
            "articles:detail",
            kwargs={
                "year": on.year,
                "month": f"{on.month:02d}",
                "day": f"{on.day:02d}",
                "slug": self.slug,
            },
        )

    def is_public(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.published_at <= now

    def paragraphs(self):
        """The body as a list of paragraphs (blank lines separate them)."""
        text = self.body.replace("\r\n", "\n")
        blocks = [" ".join(block.split()) for block in text.split("\n\n")]
        if len(blocks) == 1:
            blocks = [line.strip() for line in text.split("\n")]
        return [block for block in blocks if block]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.headline)
        if self.url == "":
            self.url = None
        super().save(*args, **kwargs)


class ArticleTopic(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = "topic"
        constraints = [
            models.UniqueConstraint(fields=["article", "topic"], name="unique_article_topic")
        ]
        indexes = [models.Index(fields=["topic", "article"], name="articletopic_topic")]

    def __str__(self):
        return str(self.topic)


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.PROTECT)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = "author"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")
        ]
        indexes = [models.Index(fields=["author", "article"], name="articleauthor_author")]

    def __str__(self):
        return str(self.author)


class MentionQuerySet(TrackedQuerySet):
    def confirmed(self):
        """Mentions an editor has confirmed (the only ones readers see)."""
        return self.filter(state=Mention.State.CONFIRMED)

    def suggested(self):
        """Mentions found in the text and waiting for an editor."""
        return self.filter(state=Mention.State.SUGGESTED)

    def in_role_order(self):
        """Subjects first, then the quoted, then the rest (``Mention.ROLE_ORDER``), each by the
        politician's name."""
        rank = models.Case(
            *(models.When(role=role, then=n) for n, role in enumerate(Mention.ROLE_ORDER)),
            default=len(Mention.ROLE_ORDER),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "politician__sort_name", "politician__name")

    def public(self, now=None):
        """Confirmed mentions in articles readers can see."""
        now = now or timezone.now()
        # The hidden articles (drafts, future dates) are few: excluding them is an anti-join
        # against a small hashed set, where joining the public ones would hash the archive.
        unpublished = [s for s in Article.Status.values if s != Article.Status.PUBLISHED]
        hidden = Article.objects.filter(Q(status__in=unpublished) | Q(published_at__gt=now)).values(
            "pk"
        )
        return self.confirmed().exclude(article__in=hidden)


class Mention(models.Model):
    class Role(models.TextChoices):
        SUBJECT = "subject", "Subject"
        QUOTED = "quoted", "Quoted"
        MENTIONED = "mentioned", "Mentioned"

    # How the people of an article are listed: subjects first, then the quoted, then the others.
    # In SQL: ``Mention.objects.in_role_order()``; in Python: ``Mention.role_rank``.
    ROLE_ORDER = (Role.SUBJECT, Role.QUOTED)

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    politician = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="mentions")
    role = models.CharField(
        "role in the article", max_length=10, choices=Role.choices, default=Role.MENTIONED
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.CONFIRMED)
    published_on = models.DateField(
        editable=False,
        null=True,
        help_text="Copy of the article's date; articles.derived keeps it.",
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=(
            "The politician's party on the article's date (empty: no party); "
            "articles.derived keeps it."
        ),
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "politician"], name="unique_mention")
        ]
        indexes = [
            models.Index(fields=["politician", "published_on"], name="mention_person_date"),
            models.Index(fields=["party", "published_on"], name="mention_party_date"),
            # Covering indexes over the confirmed mentions readers see: facet counts and
            # timelines are answered from the index without visiting the table.
            models.Index(
                fields=["politician", "published_on"],
                include=["article", "role", "party"],
                condition=Q(state="confirmed"),
                name="mention_confirmed_person",
            ),
            models.Index(
                fields=["party", "published_on", "article"],
                condition=Q(state="confirmed"),
                name="mention_confirmed_party",
            ),
            models.Index(
                fields=["published_on"],
                include=["politician", "party", "article"],
                condition=Q(state="confirmed"),
                name="mention_confirmed_date",
            ),
            models.Index(
                fields=["article"],
                include=["politician", "party", "role"],
                condition=Q(state="confirmed"),
                name="mention_confirmed_article",
            ),
        ]

    @classmethod
    def role_rank(cls, role):
        """Where ``role`` comes in ``ROLE_ORDER`` (the roles not in it after)."""
        order = cls.ROLE_ORDER
        return order.index(role) if role in order else len(order)

    def __str__(self):
        return f"{self.politician} in “{self.article}”"


class AmbiguousName(models.Model):
    """A name in an article's text that fits more than one politician; an editor decides."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ambiguous_names")
    name = models.CharField(max_length=200)
    candidates = models.ManyToManyField(Politician, related_name="+")

    class Meta:
        ordering = ["article", "name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "name"], name="unique_ambiguous_name")
        ]

    def __str__(self):
        return f"“{self.name}” in “{self.article}”"


class ArticleForReviewQuerySet(ArticleQuerySet):
    def awaiting_review(self):
        """Articles with suggested mentions or open ambiguous names, waiting for an editor."""
        return self.filter(
            models.Exists(Mention.objects.suggested().filter(article=OuterRef("pk")))
            | models.Exists(AmbiguousName.objects.filter(article=OuterRef("pk")))
        )


class ArticleForReview(Article):
    """Articles seen from the review list in the admin."""

    objects = ArticleForReviewQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = "article awaiting review"
        verbose_name_plural = "articles awaiting review"
