"""PostgreSQL-only parts of the schema: exclusion constraints and the stored search vector.

SQLite has no equivalent: model validation checks overlaps there, and search uses the FTS5
index of migration 0012 (see docs/search.md).
"""

from django.db import migrations

SEARCH_VECTOR = """
CREATE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.standfirst, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector
  BEFORE INSERT OR UPDATE ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();
CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector);
"""

NO_SEARCH_VECTOR = """
DROP INDEX IF EXISTS article_search_vector_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""

NO_OVERLAPS = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE articles_partymembership ADD CONSTRAINT membership_no_overlap
  EXCLUDE USING gist (
    politician_id WITH =, party_id WITH =, daterange(start_date, end_date, '[]') WITH &&
  );
ALTER TABLE articles_role ADD CONSTRAINT role_no_overlap
  EXCLUDE USING gist (
    politician_id WITH =, title WITH =, daterange(start_date, end_date, '[]') WITH &&
  );
"""

OVERLAPS_ALLOWED = """
ALTER TABLE articles_partymembership DROP CONSTRAINT IF EXISTS membership_no_overlap;
ALTER TABLE articles_role DROP CONSTRAINT IF EXISTS role_no_overlap;
"""


class PostgreSQLOnly(migrations.RunSQL):
    """Raw SQL that runs on PostgreSQL and is skipped elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [
        PostgreSQLOnly(NO_OVERLAPS, OVERLAPS_ALLOWED),
        PostgreSQLOnly(SEARCH_VECTOR, NO_SEARCH_VECTOR),
    ]
