"""Print the nginx configuration that serves this site's cached pages from files.

The headers nginx adds are taken from the front page as Masthead serves it to an anonymous
reader now (security headers, Cache-Control), so they match this site's settings; run it
again after changing those settings (until then nginx finds no file and asks Masthead).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from masthead.delivery.cache import Config
from masthead.delivery.front import nginx_config


class Command(BaseCommand):
    help = "Print the nginx front's configuration (docs/production.md, 'Optional nginx front')."

    def add_arguments(self, parser):
        parser.add_argument("--host", required=True, help="the site's host name, as readers use it")
        parser.add_argument("--scheme", default="https", choices=["http", "https"])
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="Masthead's web server")
        parser.add_argument("--root", default=None, help="default: MASTHEAD_FRONT_ROOT")
        parser.add_argument(
            "--no-open-file-cache",
            action="store_true",
            help="nginx opens a page's file on every request instead of keeping it open for"
            " up to a second: every change shows at once, hits through the front cost more",
        )

    def handle(self, *, host, scheme, upstream, root, no_open_file_cache, **options):
        root = root or getattr(settings, "MASTHEAD_FRONT_ROOT", None)
        if not root:
            raise CommandError("Set MASTHEAD_FRONT_ROOT (or pass --root): where pages are written.")
        response = Client().get("/", HTTP_HOST=host, secure=scheme == "https")
        if response.status_code != 200 or response.get("X-Masthead-Cache") not in ("hit", "miss"):
            raise CommandError(
                f"The front page answered {response.status_code} "
                f"({response.get('X-Masthead-Cache', 'not from the page cache')}); "
                "publish it and check --host and --scheme."
            )
        try:
            http, server = nginx_config(
                headers=list(response.items()),
                root=root,
                upstream=upstream,
                bypass_cookies=Config().bypass_cookies,
                keep_open=not no_open_file_cache,
            )
        except ValueError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(http + "\n" + server, ending="")
