"""The table of search terms beside publication times (see SearchRecency); on PostgreSQL
its GIN index, filled from the pages already in Wagtail's search index."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

TABLE = "discovery_searchrecency"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    # In publication order, so the newest rows also sit together on disk.
    schema_editor.execute(
        f"""
        INSERT INTO {TABLE} (page_id, published_at, terms)
        SELECT p.id, p.first_published_at, e.title || e.body
        FROM wagtailcore_page p
        JOIN {entries} e ON e.content_type_id = p.content_type_id
            AND e.object_id = p.id::varchar(50)
        WHERE p.live AND p.first_published_at IS NOT NULL
        ORDER BY p.first_published_at
        """
    )
    schema_editor.execute(f"CREATE INDEX {TABLE}_terms ON {TABLE} USING gin (terms)")
    schema_editor.execute(f"ANALYZE {TABLE}")


def empty(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0002_search_match_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchRecency",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="wagtailcore.page",
                    ),
                ),
                ("published_at", models.DateTimeField()),
                ("terms", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["-published_at", "-page"], name="searchrecency_newest")
                ],
            },
        ),
        migrations.RunPython(fill, empty),
    ]
