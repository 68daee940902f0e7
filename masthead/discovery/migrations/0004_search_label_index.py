"""PostgreSQL: an index serving the search page's label (kicker) filter.

A search narrowed by label joins the matches to the stories with that label; without an
index that meant reading the whole article table (its rows carry the story bodies). The
index holds the label and the page id, so the set is read from the index alone.
"""

from django.db import migrations

INDEX = "masthead_search_kicker"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("news", "ArticlePage")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (kicker, page_ptr_id)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0003_searchrecency"),
        ("news", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
