"""Politicians, parties, memberships and roles."""

from django.contrib import admin
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from articles.derived import parties
from articles.models import (
    Area,
    AreaIdentifier,
    OtherName,
    Party,
    PartyIdentifier,
    PartyMembership,
    Politician,
    PoliticianIdentifier,
    Role,
)

from .display import change_link, count_of, swatch
from .forms import (
    HTTPS_URLS,
    MembershipAdminForm,
    MembershipForm,
    MembershipFormSet,
    RoleFormSet,
)
from .versioning import VersionedAdmin, VersionedFormMixin

BY_START_DATE = [F("start_date").asc(nulls_first=True), "id"]


class OtherNameInline(admin.TabularInline):
    model = OtherName
    fields = ["name", "note", "lang", "start_date", "end_date"]
    ordering = BY_START_DATE
    extra = 0


class MembershipInline(VersionedFormMixin, admin.TabularInline):
    model = PartyMembership
    form = MembershipForm
    formset = MembershipFormSet
    fields = ["party", "start_date", "end_date"]
    autocomplete_fields = ["party"]
    ordering = BY_START_DATE
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party")


class RoleInline(VersionedFormMixin, admin.TabularInline):
    model = Role
    formset = RoleFormSet
    fields = ["title", "organisation", "area", "start_date", "end_date"]
    autocomplete_fields = ["area"]
    ordering = BY_START_DATE
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("area")


class PoliticianIdentifierInline(admin.TabularInline):
    model = PoliticianIdentifier
    fields = ["scheme", "identifier"]
    extra = 0
    verbose_name = "identifier"


class PartyIdentifierInline(admin.TabularInline):
    model = PartyIdentifier
    fields = ["scheme", "identifier"]
    extra = 0
    verbose_name = "identifier"


class AreaIdentifierInline(admin.TabularInline):
    model = AreaIdentifier
    fields = ["scheme", "identifier"]
    extra = 0
    verbose_name = "identifier"


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    fields = ["name", "slug", "classification", "popolo_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AreaIdentifierInline]
    list_display = ["name", "classification", "popolo_id"]
    search_fields = ["name", "popolo_id"]


@admin.register(Politician)
class PoliticianAdmin(VersionedAdmin):
    formfield_overrides = HTTPS_URLS
    inlines = [OtherNameInline, MembershipInline, RoleInline, PoliticianIdentifierInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "given_name", "family_name", "sort_name"]}),
        ("Life", {"fields": ["birth_date", "death_date", "biography", "image_url"]}),
        ("Identifiers", {"fields": ["wikidata_id", "popolo_id"], "classes": ["collapse"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "given_name", "family_name", "sort_name", "other_names__name"]
    search_help_text = "Any of the names, including other names, with or without accents."
    list_display = ["name", "current_party", "birth_date", "death_date"]
    list_filter = ["memberships__party"]
    save_on_top = True
    list_per_page = 50

    def get_queryset(self, request):
        current = parties.deciding_memberships(
            PartyMembership.objects.filter(politician=OuterRef("pk")), timezone.localdate()
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_party_name=Subquery(current.values("party__name")[:1]),
                current_party_colour=Subquery(current.values("party__colour")[:1]),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # The list's search and the politician autocomplete: accents or none ("Opik", "Öpik").
        return queryset.search(search_term), False

    @admin.display(description="party today", ordering="current_party_name")
    def current_party(self, obj):
        if not obj.current_party_name:
            return "Independent / no party"
        return swatch(obj.current_party_colour, obj.current_party_name)


class MemberInline(admin.TabularInline):
    """A party's members, current and former; memberships are edited on the politician."""

    model = PartyMembership
    fields = readonly_fields = ["member", "start_date", "end_date"]
    ordering = [F("end_date").desc(nulls_first=True), "politician__sort_name"]
    verbose_name = "member"
    verbose_name_plural = "members, current and former (edit memberships on the politician)"
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("politician", "party")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="politician")
    def member(self, obj):
        return change_link(obj.politician)


@admin.register(Party)
class PartyAdmin(VersionedAdmin):
    inlines = [MemberInline, PartyIdentifierInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "colour", "country"]}),
        ("History", {"fields": ["founding_date", "dissolution_date", "description"]}),
        ("Identifiers", {"fields": ["wikidata_id", "popolo_id"], "classes": ["collapse"]}),
    ]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "short_name"]
    list_display = ["party", "short_name", "current_members", "founding_date", "dissolution_date"]

    def get_queryset(self, request):
        members_today = PartyMembership.objects.filter(party=OuterRef("pk")).active_on(
            timezone.localdate()
        )
        return super().get_queryset(request).annotate(current_members=count_of(members_today))

    @admin.display(description="party", ordering="name")
    def party(self, obj):
        return swatch(obj.colour, obj.name)

    @admin.display(description="members today", ordering="current_members")
    def current_members(self, obj):
        return obj.current_members


@admin.register(PartyMembership)
class PartyMembershipAdmin(VersionedAdmin):
    form = MembershipAdminForm
    fields = ["politician", "party", "start_date", "end_date"]
    autocomplete_fields = ["politician", "party"]
    list_display = ["politician", "party", "start_date", "end_date"]
    list_filter = ["party"]
    list_select_related = ["politician", "party"]
    search_fields = ["politician__name", "party__name"]
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        form.end_earlier_memberships()
        super().save_model(request, obj, form, change)


@admin.register(Role)
class RoleAdmin(VersionedAdmin):
    fields = ["politician", "title", "organisation", "area", "start_date", "end_date"]
    autocomplete_fields = ["politician", "area"]
    list_display = ["title", "politician", "organisation", "area", "start_date", "end_date"]
    list_select_related = ["politician", "area"]
    search_fields = ["title", "organisation", "politician__name"]
    date_hierarchy = "start_date"
