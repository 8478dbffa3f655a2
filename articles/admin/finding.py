"""“Find people in the text” on the add form: suggestions before an article's first save.

The button submits the whole form. The admin validates it as usual but saves nothing: the page
comes back with everything typed (errors for fields not filled in yet are left unsaid; there is
nothing to correct yet) and, under "Mentions found in the text", each politician the text names
with the sentence naming them. One click on a name adds that politician to the mentions in the
form as confirmed, again without saving; "Save" then saves the article with them. It works
without JavaScript.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from articles.models import Mention, Politician
from articles.suggestions import NameIndex, find_names

from .display import namesake

FIND_PEOPLE = "_find_people"
ADD_FOUND = "_add_found"
ALL = "all"
PREFIX = "mentions"  # the mention inline's formset prefix
TEXT_FIELDS = ("headline", "standfirst", "body")


def wants_finding(request):
    """Whether the add form was submitted to find people (or to add one found), not to save."""
    return request.method == "POST" and bool({FIND_PEOPLE, ADD_FOUND} & set(request.POST))


@dataclass
class Found:
    """What "Find people in the text" found, and which of them the form's mentions name."""

    people: list = field(default_factory=list)  # (politician, sentence)
    ambiguous: list = field(default_factory=list)  # (name, [(politician, label)], sentence)
    linked: set = field(default_factory=set)  # politician ids in the form's mention rows

    def candidates(self):
        """Every politician found, named unambiguously or not."""
        return {p.pk for p, _ in self.people} | {
            p.pk for _, candidates, _ in self.ambiguous for p, _ in candidates
        }

    def waiting(self):
        """The politicians found unambiguously and not in the mentions yet."""
        return [p for p, _ in self.people if p.pk not in self.linked]

    def render(self):
        if not self.people and not self.ambiguous:
            return format_html("<p>{}</p>", "No politician’s name found in the text.")
        parts = []
        if self.people:
            rows = format_html_join(
                "",
                "<li><strong>{}</strong>: “{}” {}</li>",
                (
                    (p.name, sentence, _add_button(p, p.pk in self.linked))
                    for p, sentence in self.people
                ),
            )
            parts.append(format_html('<ul class="found-people">{}</ul>', rows))
            waiting = self.waiting()
            if len(waiting) > 1:
                parts.append(
                    format_html(
                        '<p><button type="submit" class="button" name="{}" value="{}">'
                        "Add all {} as mentions</button></p>",
                        ADD_FOUND,
                        ALL,
                        len(waiting),
                    )
                )
        for name, candidates, sentence in self.ambiguous:
            if any(p.pk in self.linked for p, _ in candidates):
                continue  # settled by a mention row
            buttons = format_html_join(
                " or ",
                '<button type="submit" class="button" name="{}" value="{}">{}</button>',
                ((ADD_FOUND, p.pk, label) for p, label in candidates),
            )
            parts.append(
                format_html("<p>‘{}’ could be {}. The text says: “{}”</p>", name, buttons, sentence)
            )
        return format_html_join("", "{}", ((part,) for part in parts))


def _add_button(politician, added):
    if added:
        return format_html("<em>{}</em>", "in the mentions below")
    return format_html(
        '<button type="submit" class="button" name="{}" value="{}">Add as a mention</button>',
        ADD_FOUND,
        politician.pk,
    )


def _rows(data):
    """(index, politician id or "") of the mention rows in ``data`` not marked for deletion."""
    total = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
    for i in range(min(total, 1000)):
        if not data.get(f"{PREFIX}-{i}-DELETE"):
            yield i, data.get(f"{PREFIX}-{i}-politician", "")


def in_form(data):
    """The politicians the submitted mention rows already name."""
    return {int(pk) for _, pk in _rows(data) if pk.isdigit()}


def with_mentions_added(data, politician_ids):
    """A copy of the submitted ``data`` with a confirmed mention row for each politician."""
    data = data.copy()
    empty = [i for i, pk in _rows(data) if not pk]
    total = int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0)
    for pk in sorted(set(politician_ids) - in_form(data)):
        if empty:
            i = empty.pop(0)
        else:
            i, total = total, total + 1
        data[f"{PREFIX}-{i}-politician"] = str(pk)
        data[f"{PREFIX}-{i}-state"] = Mention.State.CONFIRMED
        if not data.get(f"{PREFIX}-{i}-role"):
            data[f"{PREFIX}-{i}-role"] = Mention.Role.MENTIONED
    data[f"{PREFIX}-TOTAL_FORMS"] = str(total)
    return data


def submitted_date(form_class, data):
    """The publication time typed into the form, or None if it is missing or not valid yet."""
    date_field = form_class.base_fields["published_at"]
    try:
        return date_field.clean(date_field.widget.value_from_datadict(data, {}, "published_at"))
    except ValidationError:
        return None


def find_people(data, published_at):
    """Who the submitted text names, on the date ``published_at`` (today when not given yet)."""
    text = "\n".join(data.get(name, "") for name in TEXT_FIELDS)
    on = timezone.localdate(published_at) if published_at else timezone.localdate()
    matches = find_names(text, NameIndex.build(), on=on)
    wanted = matches.found | {pk for ids in matches.ambiguous.values() for pk in ids}
    people = Politician.objects.in_bulk(wanted)
    found = Found(
        people=[(people[pk], s) for pk, s in matches.sentences().items() if pk in people],
        linked=in_form(data),
    )
    for name, ids in sorted(matches.ambiguous.items()):
        candidates = [(people[pk], namesake(people[pk], on)) for pk in sorted(ids) if pk in people]
        found.ambiguous.append((name, candidates, matches.sentence(name)))
    return found


def requested_additions(request, found):
    """The politicians an ``ADD_FOUND`` click asks to add (one, or all found unambiguously)."""
    value = request.POST.get(ADD_FOUND, "")
    if value == ALL:
        return {p.pk for p in found.waiting()}
    if value.isdigit() and int(value) in found.candidates():
        return {int(value)}
    return set()


def finding_form(form_class, found):
    """``form_class`` in the mode of the find button: it shows ``found`` and never validates,
    so the admin shows it again, with no errors, instead of saving it."""

    class FindingForm(form_class):
        def full_clean(self):
            super().full_clean()
            self.errors.clear()  # nothing to correct yet: the editor is still writing
            found.linked = in_form(self.data)
            self.instance.found_in_text = found

        def is_valid(self):
            return False

    FindingForm.__name__ = form_class.__name__
    return FindingForm


def add_form_panel(found):
    """The add form's "Mentions found in the text": the find button, and what it found."""
    button = format_html(
        '<p><button type="submit" class="button" name="{}" value="1">{}</button> {}</p>',
        FIND_PEOPLE,
        "Find people in the text",
        "Lists the politicians the headline, standfirst and text name, without saving.",
    )
    if found is None:
        return button
    return format_html("{}{}", found.render(), button)
