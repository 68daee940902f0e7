"""A GIN index on the expression Wagtail's PostgreSQL search backend matches against.

The backend tests `title || body @@ query` on its index table; the per-column GIN indexes
it ships cannot serve that expression, so every search read the whole table. With this
index a query for a rare word reads only its matches. SQLite (FTS5) needs nothing.
"""

from django.db import migrations

INDEX = "masthead_search_match_gin"


def _table(apps):
    return apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(_table(apps))
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
