from django.core.management.base import BaseCommand, CommandError

from masthead.demo.seeding import seed_articles


class Command(BaseCommand):
    help = (
        "Create COUNT published articles quickly for benchmarks and load tests: pages are "
        "bulk-inserted into the page tree under the front page's sections (created if "
        "missing), shaped like a real story (about 900 words under three subheadings, two "
        "quotes), each with bylines, topics and its own lead image (files and renditions "
        "shared from a small pool), publication times spread over the last DAYS days, and "
        "added to the search index. "
        "Pages carry no revisions. Example: masthead seed_articles --count 100000 --sections 6"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="articles to create")
        parser.add_argument(
            "--sections", type=int, default=4, help="top-level sections to spread them over"
        )
        parser.add_argument(
            "--days", type=int, default=730, help="spread publication times over this many days"
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per insert")
        parser.add_argument("--seed", type=int, default=None, help="random seed for repeatability")
        parser.add_argument(
            "--no-index", action="store_true", help="skip the search index (faster)"
        )

    def handle(self, *args, count, sections, days, batch_size, seed, no_index, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not 1 <= sections <= 100:
            raise CommandError("--sections must be between 1 and 100.")
        if days < 1 or batch_size < 1:
            raise CommandError("--days and --batch-size must be at least 1.")
        report = seed_articles(
            count=count,
            sections=sections,
            days=days,
            batch_size=batch_size,
            seed=seed,
            index=not no_index,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.created} published articles in {report.sections} sections "
                f"in {report.seconds:.1f} s."
            )
        )
