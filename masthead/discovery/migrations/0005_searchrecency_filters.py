"""SearchRecency keeps each page's tree path and label (kicker), so the search page's
section and label filters are checked in the row the date-index walk reads; an index on
the label and date serves a label filter.

On PostgreSQL the table is refilled rather than updated in place: an UPDATE of every row
would leave a dead copy of each behind, which the walk would step over until a vacuum.
Refilled in publication order, as in 0003, so the newest rows sit together on disk.
"""

from django.db import migrations, models

TABLE = "discovery_searchrecency"


def refill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    articles = schema_editor.quote_name(apps.get_model("news", "ArticlePage")._meta.db_table)
    schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_terms")
    schema_editor.execute(f"TRUNCATE {TABLE}")
    schema_editor.execute(
        f"""
        INSERT INTO {TABLE} (page_id, published_at, terms, path, kicker)
        SELECT p.id, p.first_published_at, e.title || e.body, p.path, COALESCE(a.kicker, '')
        FROM wagtailcore_page p
        JOIN {entries} e ON e.content_type_id = p.content_type_id
            AND e.object_id = p.id::varchar(50)
        LEFT JOIN {articles} a ON a.page_ptr_id = p.id
        WHERE p.live AND p.first_published_at IS NOT NULL
        ORDER BY p.first_published_at
        """
    )
    schema_editor.execute(f"CREATE INDEX {TABLE}_terms ON {TABLE} USING gin (terms)")
    schema_editor.execute(f"ANALYZE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0004_search_label_index"),
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchrecency",
            name="kicker",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="searchrecency",
            name="path",
            field=models.CharField(default="", max_length=255),
        ),
        migrations.RunPython(refill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchrecency",
            index=models.Index(
                fields=["kicker", "-published_at", "-page"], name="searchrecency_kicker_newest"
            ),
        ),
    ]
