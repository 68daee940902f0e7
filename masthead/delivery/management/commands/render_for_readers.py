"""Render the newest stories, their sections and the front page for readers.

After a release that changes templates, or after the page cache was emptied, every page is
rendered again by its first reader. Run this from the deploy job (with the production
environment set, once the web servers run the new release) so the pages most read come
from the cache at once, as the worker does for each page it publishes
(masthead.delivery.rendering).
"""

from django.core.management.base import BaseCommand, CommandError

from masthead.delivery.rendering import reader_urls, render_for_readers


class Command(BaseCommand):
    help = "Render the newest stories, their sections and the front page into the page cache."

    def add_arguments(self, parser):
        parser.add_argument(
            "--latest",
            type=int,
            default=50,
            help="how many of the newest live stories to render, with the pages above them"
            " (default 50)",
        )

    def handle(self, *, latest, verbosity, **options):
        from masthead.news.models import ArticlePage

        if latest < 1:
            raise CommandError("--latest must be at least 1.")
        urls = {}
        for story in ArticlePage.objects.published().newest_first()[:latest]:
            urls.update(dict.fromkeys(reader_urls(story)))
        failed = []
        for url in urls:
            status = render_for_readers(url)
            if status != 200:
                failed.append(f"{url} ({status})")
            elif verbosity > 1:
                self.stdout.write(url)
        self.stdout.write(f"Rendered {len(urls) - len(failed)} pages for readers.")
        if failed:
            raise CommandError("Not rendered: " + ", ".join(failed))
