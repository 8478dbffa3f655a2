"""SQLite's full-text index of the articles: an FTS5 table kept in step by triggers.

PostgreSQL keeps its stored search vector (0002) and skips this migration. On SQLite the index
holds each article's headline, standfirst and body as words stemmed by the Porter stemmer; it
stores no copy of the text (``content=``: snippets are cut from the article row). The triggers
write every insert, change and deletion of an article to it, whatever makes them (the ORM, the
importers' raw SQL, cascades).

An external-content index must be told the old text of a changed row exactly, which only these
triggers do: a later migration that makes SQLite rebuild ``articles_article`` (Django copies the
table and drops the old one, triggers included) must run ``TRIGGERS`` again and
``INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')``;
tests/test_search.py fails until it does.
"""

from django.db import migrations

TABLE = "articles_article_fts"
COLUMNS = "headline, standfirst, body"

INDEX = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLUMNS}, content='articles_article', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 0')",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]

TRIGGERS = [
    f"""
    CREATE TRIGGER {TABLE}_insert AFTER INSERT ON articles_article BEGIN
      INSERT INTO {TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_delete AFTER DELETE ON articles_article BEGIN
      INSERT INTO {TABLE}({TABLE}, rowid, {COLUMNS})
      VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
    END
    """,
    # Only when the text changes: most saves (a status, a mention, a version) leave it alone.
    f"""
    CREATE TRIGGER {TABLE}_update AFTER UPDATE OF {COLUMNS} ON articles_article
    WHEN old.headline IS NOT new.headline OR old.standfirst IS NOT new.standfirst
      OR old.body IS NOT new.body
    BEGIN
      INSERT INTO {TABLE}({TABLE}, rowid, {COLUMNS})
      VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
      INSERT INTO {TABLE}(rowid, {COLUMNS}) VALUES (new.id, new.headline, new.standfirst, new.body);
    END
    """,
]

NO_INDEX = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TABLE IF EXISTS {TABLE}",
]


class SQLiteOnly(migrations.RunSQL):
    """Raw SQL that runs on SQLite and is skipped elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_derived_generation")]

    operations = [SQLiteOnly(INDEX + TRIGGERS, NO_INDEX)]
