"""Articles: the editors' main page, with mentions and the names the text leaves open."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, OuterRef, Value, When
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join

from articles import derived
from articles.models import AmbiguousName, Article, Mention, Politician
from articles.suggestions import suggest_mentions

from . import finding
from .actions import confirm_suggestions, publish, suggest, unpublish
from .display import count_of, either, namesake, publication_state
from .filters import PartyFilter, TopicFilter
from .forms import HTTPS_URLS, ArticleForm, MentionForm
from .versioning import VersionedAdmin

# Buttons on the article page that save the form, then act on a suggestion.
CONFIRM_ONE = "_confirm_mention"
CONFIRM_ALL = "_confirm_all_suggestions"
CHOOSE_CANDIDATE = "_choose_candidate"

STATE_ORDER = Case(
    When(state=Mention.State.SUGGESTED, then=Value(0)),
    When(state=Mention.State.CONFIRMED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class MentionInline(admin.TabularInline):
    model = Mention
    form = MentionForm
    fields = ["politician", "role", "state", "party_on_date", "confirm"]
    readonly_fields = ["party_on_date", "confirm"]
    autocomplete_fields = ["politician"]
    extra = 1
    verbose_name_plural = "mentions"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Autocomplete only: no add, change, view or delete icons beside each mention's
        # politician (the red ✖ there deleted the politician, not the mention).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "politician" and hasattr(field.widget, "can_add_related"):
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("politician", "party")
            .order_by(STATE_ORDER, "politician__sort_name")
        )

    @admin.display(description="")
    def confirm(self, obj):
        # Submits the whole form (nothing typed is lost), then confirms this suggestion.
        if obj.pk and obj.state == Mention.State.SUGGESTED:
            return format_html(
                '<button type="submit" class="button" name="{}" value="{}">Confirm</button>',
                CONFIRM_ONE,
                obj.pk,
            )
        return ""

    @admin.display(description="party on the article's date")
    def party_on_date(self, obj):
        if not obj.pk:
            return "–"
        return obj.party or "Independent / no party"


class AmbiguousNameInline(admin.TabularInline):
    """Names that fit several politicians: the editor adds the right one as a mention."""

    model = AmbiguousName
    fields = readonly_fields = ["name", "could_be"]
    verbose_name = "ambiguous name"
    verbose_name_plural = "ambiguous names: add the right politician as a mention above"
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("candidates")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="could be (choose to link)")
    def could_be(self, obj):
        # One click on the right candidate saves the form and links them as a mention.
        return format_html_join(
            " or ",
            '<button type="submit" class="button" name="{}" value="{}:{}">{}</button>',
            ((CHOOSE_CANDIDATE, obj.pk, p.pk, p.name) for p in obj.candidates.all()),
        )


@admin.register(Article)
class ArticleAdmin(VersionedAdmin):
    formfield_overrides = HTTPS_URLS
    form = ArticleForm
    inlines = [MentionInline, AmbiguousNameInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "published_at",
                    "source",
                    "byline",
                    "author_choices",
                    "url",
                    "topic_choices",
                ]
            },
        ),
        ("Mentions found in the text", {"fields": ["suggestions"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    readonly_fields = ["created_at", "updated_at", "suggestions"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["source"]
    search_fields = ["headline", "body"]
    search_help_text = "Words from the headline or the text."
    list_display = ["headline", "published_at", "source", "state", "mention_count"]
    list_filter = ["status", "source", TopicFilter, PartyFilter, "published_at"]
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    actions = [publish, unpublish, suggest, confirm_suggestions]
    save_on_top = True
    list_per_page = 50

    def get_queryset(self, request):
        mentions = Mention.objects.filter(article=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                mention_count=count_of(mentions),
                suggested_count=count_of(mentions.suggested()),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # The archive's own search: the stored full-text vector on PostgreSQL.
        return queryset.search(search_term), False

    @admin.display(description="status", ordering="status")
    def state(self, obj):
        return publication_state(obj)

    @admin.display(description="mentions", ordering="mention_count")
    def mention_count(self, obj):
        if obj.suggested_count:
            return f"{obj.mention_count} ({obj.suggested_count} suggested)"
        return obj.mention_count

    # An article, its mentions, topics and authors saved or deleted together: the stored counts
    # of the months they touch are recounted once, when the request's changes are done.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None and finding.wants_finding(request):
            return self.find_people_view(request, form_url, extra_context)
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with derived.change():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def find_people_view(self, request, form_url="", extra_context=None):
        """The add form again, as typed, with the people its text names (``finding``)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = self.get_form(request)
        published_at = finding.submitted_date(form_class, request.POST)
        found = finding.find_people(request.POST, published_at)
        if added := finding.requested_additions(request, found):
            request.POST = finding.with_mentions_added(request.POST, added)
            names = ", ".join(sorted(p.name for p in Politician.objects.filter(pk__in=added)))
            self.message_user(
                request,
                f"Added to the mentions below, as confirmed: {names}. "
                "Nothing is saved until you save the article.",
                messages.INFO,
            )
        request.found_in_text = found
        return super().changeform_view(request, None, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if (found := getattr(request, "found_in_text", None)) is not None:
            return finding.finding_form(form, found)
        return form

    def delete_view(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().delete_view(request, *args, **kwargs)
        with derived.change():
            return super().delete_view(request, *args, **kwargs)

    def delete_queryset(self, request, queryset):
        with derived.change():
            super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_topics()
        self.act_on_suggestions(request, form.instance)
        self.report_suggestions(request, form.instance, suggest_mentions(form.instance))

    def act_on_suggestions(self, request, article):
        """The suggestion buttons: confirm one, confirm all, or link an ambiguous name's
        candidate (the form itself is saved first, as by "Save and continue editing")."""
        suggested = article.mentions.suggested()
        if CONFIRM_ALL in request.POST:
            chosen = list(suggested)
        elif (pk := request.POST.get(CONFIRM_ONE, "")).isdigit():
            chosen = list(suggested.filter(pk=pk))
        else:
            chosen = []
        for mention in chosen:
            mention.state = Mention.State.CONFIRMED
            mention.save()
        if chosen:
            names = ", ".join(m.politician.name for m in chosen)
            self.message_user(request, f"Confirmed: {names}.", messages.SUCCESS)
        ambiguous, _, politician = request.POST.get(CHOOSE_CANDIDATE, "").partition(":")
        if ambiguous.isdigit() and politician.isdigit():
            name = article.ambiguous_names.filter(pk=ambiguous, candidates=politician).first()
            if name is not None:
                mention, _ = Mention.objects.get_or_create(
                    article=article, politician_id=politician
                )
                if mention.state != Mention.State.CONFIRMED:
                    mention.state = Mention.State.CONFIRMED
                    mention.save()
                name.delete()
                self.message_user(
                    request, f"‘{name.name}’ linked to {mention.politician.name}.", messages.SUCCESS
                )

    def response_change(self, request, obj):
        if {CONFIRM_ONE, CONFIRM_ALL, CHOOSE_CANDIDATE} & set(request.POST):
            return redirect(request.path)  # back to the article, to go on reviewing
        return super().response_change(request, obj)

    @admin.display(description="suggestions")
    def suggestions(self, obj):
        if obj is None or obj.pk is None:  # the add form
            return finding.add_form_panel(getattr(obj, "found_in_text", None))
        count = obj.mentions.suggested().count() if obj.pk else 0
        if not count:
            return "None waiting."
        return format_html(
            '{} suggested mention{} below. <button type="submit" class="button" name="{}" '
            'value="1">Confirm all {}</button>',
            count,
            "" if count == 1 else "s",
            CONFIRM_ALL,
            count,
        )

    def report_suggestions(self, request, article, matches):
        if matches.found:
            names = dict(Politician.objects.filter(pk__in=matches.found).values_list("pk", "name"))
            found = "; ".join(
                f"{names[pk]} (“{sentence}”)" for pk, sentence in matches.sentences().items()
            )
            self.message_user(
                request,
                f"Suggested from the text: {found}. "
                "Confirm each suggestion, or set it to Rejected if it is someone else.",
                messages.INFO,
            )
        for name, ids in sorted(matches.ambiguous.items()):
            on = article.published_on
            candidates = [namesake(p, on) for p in Politician.objects.filter(pk__in=ids)]
            self.message_user(
                request,
                f"‘{name}’ could be {either(candidates)}: add the right one as a mention. "
                f"The text says: “{matches.sentence(name)}”",
                messages.WARNING,
            )
