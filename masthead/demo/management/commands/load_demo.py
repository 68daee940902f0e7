from django.core.management.base import BaseCommand

from masthead.demo.loader import demo_site_exists, ensure_admin, load_demo_site
from masthead.newsletter.demo import demo_newsletter_lists_ensure


class Command(BaseCommand):
    help = (
        "Load the demo site (sections, authors, images, stories) and create an 'admin' "
        "account. Safe to run again: existing content and accounts are kept."
    )

    def handle(self, *args, **options):
        if demo_site_exists():
            self.stdout.write("Demo content is already loaded; keeping existing data.")
        else:
            featured = load_demo_site()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the demo site. Featured story: {featured.url}")
            )
        created_lists = demo_newsletter_lists_ensure()
        if created_lists:
            self.stdout.write(f"Added newsletters: {', '.join(created_lists)}.")
        password = ensure_admin()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"Created the admin account. Username: admin  Password: {password}\n"
                    "This password is shown only once; change it in the admin."
                )
            )
        else:
            self.stdout.write("The admin account already exists; its password is unchanged.")
