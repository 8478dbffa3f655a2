"""How well the name matching does on a labelled file: articles in the import's JSON Lines
format whose ``mentions`` say who they truly name."""

from dataclasses import dataclass, field

from django.utils import timezone

from articles.io.importers.files import FileProblem
from articles.io.importers.jsonl import read_jsonl
from articles.io.importers.people import People
from articles.io.importers.report import RecordError
from articles.models import Politician

from .index import NameIndex
from .matching import find_names


@dataclass
class Link:
    line: int
    headline: str
    politician: str
    sentence: str = ""

    def __str__(self):
        where = f" — “{self.sentence}”" if self.sentence else ""
        return f"line {self.line}, “{self.headline}”: {self.politician}{where}"


@dataclass
class Evaluation:
    articles: int = 0
    right: int = 0  # suggested and labelled
    suggested: int = 0
    labelled: int = 0
    wrong: list = field(default_factory=list)  # Links suggested but not labelled
    missed: list = field(default_factory=list)  # Links labelled but not suggested
    ambiguous: list = field(default_factory=list)  # (Link, candidates, whether one is labelled)
    problems: list = field(default_factory=list)  # lines that could not be read

    @property
    def precision(self):
        return self.right / self.suggested if self.suggested else 1.0

    @property
    def recall(self):
        return self.right / self.labelled if self.labelled else 1.0

    def lines(self):
        """The report, line by line."""
        fitting = sum(1 for *_, labelled in self.ambiguous if labelled)
        yield (
            f"{self.articles} articles, {self.labelled} labelled mentions, "
            f"{self.suggested} suggested"
        )
        yield f"precision {self.precision:.3f} ({self.right} of {self.suggested} suggested right)"
        yield f"recall    {self.recall:.3f} ({self.right} of {self.labelled} labelled found)"
        yield (
            f"ambiguous names: {len(self.ambiguous)} "
            f"({fitting} with the labelled politician among the candidates)"
        )
        for title, links in (("Wrong links", self.wrong), ("Missed links", self.missed)):
            if links:
                yield f"{title}:"
                yield from (f"  {link}" for link in links)
        if self.ambiguous:
            yield "Ambiguous names:"
            for link, candidates, _ in self.ambiguous:
                yield f"  {link} could be {', '.join(candidates)}"
        if self.problems:
            yield "Lines not evaluated:"
            yield from (f"  {problem}" for problem in self.problems)


def evaluate_suggestions(path, *, index=None) -> Evaluation:
    """Match the names in each labelled article of ``path`` with the archive's politicians
    (nothing is written) and compare the suggestions with the labels."""
    index = index or NameIndex.build()
    people = People()
    names = dict(Politician.objects.values_list("pk", "name"))
    result = Evaluation()
    for record in read_jsonl(path, zone=timezone.get_current_timezone()):
        if isinstance(record, RecordError | FileProblem):
            result.problems.append(f"line {record.line}: {record}")
            continue
        if record.mentions is None:
            result.problems.append(f"line {record.line}: no mentions to compare with")
            continue
        try:
            labelled = {people.politician_id(reference) for reference, _ in record.mentions}
        except RecordError as error:
            result.problems.append(f"line {record.line}: {error.reason}")
            continue
        matches = find_names(record.text(), index, on=record.published_on)
        result.articles += 1
        result.labelled += len(labelled)
        result.suggested += len(matches.found)
        result.right += len(matches.found & labelled)
        for pk in sorted(matches.found - labelled):
            link = Link(record.line, record.headline, names[pk], matches.sentence(pk))
            result.wrong.append(link)
        for pk in sorted(labelled - matches.found):
            result.missed.append(Link(record.line, record.headline, names[pk]))
        for name, ids in sorted(matches.ambiguous.items()):
            link = Link(record.line, record.headline, f"‘{name}’", matches.sentence(name))
            candidates = sorted(names[pk] for pk in ids)
            result.ambiguous.append((link, candidates, bool(ids & labelled)))
    return result
