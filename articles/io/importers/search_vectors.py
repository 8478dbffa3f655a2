"""Search vectors for generated articles, computed without the per-row trigger."""

import re

from django.db import connection

from articles.models import Article

SEARCH_TRIGGER = "articles_article_search_vector"
SEARCH_FUNCTION_BODY = (
    "NEW.search_vector := "
    "setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C'); RETURN NEW;"
)
TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")


class SearchVectors:
    """The search vector the PostgreSQL trigger would store, built in Python.

    Generated text uses a small vocabulary, so each word's lexeme is asked of PostgreSQL once
    and the vector is assembled here: ``to_tsvector`` on a million articles is the slowest part
    of a load otherwise. Used only while the trigger is the one this code knows (see
    ``usable``), and checked against PostgreSQL on a sample after the load.
    """

    def __init__(self):
        self.lexemes = {}
        self.sequences = {}

    @staticmethod
    def usable():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgname = %s AND t.tgrelid = %s::regclass",
                [SEARCH_TRIGGER, Article._meta.db_table],
            )
            row = cursor.fetchone()
        if not row:
            return False
        body = " ".join(row[0].split()).removeprefix("BEGIN ").removesuffix(" END")
        return body == SEARCH_FUNCTION_BODY

    def lexeme(self, word):
        lexeme = self.lexemes.get(word, "")
        if lexeme == "":
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_tsvector('english', %s)::text", [word.lower()])
                text = cursor.fetchone()[0]
            lexeme = self.lexemes[word] = text[1 : text.rindex("'")] if text else None
        return lexeme

    def sequence(self, text, *, remember=False):
        """The lexeme (None for a stop word) of each word of ``text``, in order."""
        if remember and text in self.sequences:
            return self.sequences[text]
        sequence = [self.lexeme(word) for word in TOKEN.findall(text)]
        if remember:
            self.sequences[text] = sequence
        return sequence

    def vector(self, headline, body_parts):
        """The vector of a headline (weight A) and a body made of ``body_parts`` (weight C)."""
        positions, last = {}, 0
        for position, lexeme in enumerate(self.sequence(headline), start=1):
            if lexeme is not None:
                positions.setdefault(lexeme, []).append(f"{position}A")
                last = position
        body = []
        for part, remember in body_parts:
            body += self.sequence(part, remember=remember)
        for position, lexeme in enumerate(body, start=last + 1):
            if lexeme is not None:
                positions.setdefault(lexeme, []).append(f"{position}C")
        return " ".join(f"'{lexeme}':{','.join(p)}" for lexeme, p in positions.items())

    @staticmethod
    def check(sample=200):
        """Raise if stored vectors differ from what the trigger computes, on a sample."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT * FROM {Article._meta.db_table} "
                f"ORDER BY id DESC LIMIT %s) a WHERE a.search_vector IS DISTINCT FROM ("
                "setweight(to_tsvector('english', coalesce(a.headline, '')), 'A') || "
                "setweight(to_tsvector('english', coalesce(a.standfirst, '')), 'B') || "
                "setweight(to_tsvector('english', coalesce(a.body, '')), 'C'))",
                [sample],
            )
            wrong = cursor.fetchone()[0]
        if wrong:
            raise RuntimeError(f"{wrong} precomputed search vectors differ from the trigger's")
