import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.production")

from masthead.delivery.wsgi import PageCacheApplication, settle_process  # noqa: E402

application = PageCacheApplication(get_wsgi_application())
settle_process()
