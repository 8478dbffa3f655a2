from django.core.management.base import BaseCommand, CommandError

from articles.io.importers.files import FileProblem
from articles.names.evaluation import evaluate_suggestions


class Command(BaseCommand):
    help = (
        "Measure the mention suggestions on a labelled JSON Lines file (articles with their "
        "true mentions) against the politicians in the archive: precision, recall, and the "
        "wrong and missed links. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines, one article a line, each with mentions.")

    def handle(self, *args, file, **options):
        try:
            evaluation = evaluate_suggestions(file)
        except FileProblem as problem:
            raise CommandError(f"{file}: {problem.reason}") from problem
        for line in evaluation.lines():
            self.stdout.write(line)
        if not evaluation.articles:
            raise CommandError(f"{file}: no labelled article to evaluate")
