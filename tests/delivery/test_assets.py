import brotli
import pytest
from django.core.management import call_command
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def test_static_files_have_hashed_names_far_future_caching_and_precompression(settings, tmp_path):
    """Stylesheets are served under content-hashed names, cached for a year, as brotli."""
    settings.STATIC_ROOT = tmp_path / "static"
    # Only Masthead's own files: compressing every admin asset would take minutes.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    from django.templatetags.static import static

    url = static("masthead/site.css")
    assert url != "/static/masthead/site.css"  # hashed
    client = Client()  # a fresh handler sees the collected files
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) >= 31536000
    body = brotli.decompress(b"".join(response.streaming_content))
    assert body == (settings.STATIC_ROOT / url.removeprefix("/static/")).read_bytes()


def test_renditions_are_cached_for_a_year(client):
    """Image renditions never change under one URL, so readers and CDNs keep them."""
    picture = factories.image()
    rendition = picture.get_rendition("width-400|format-webp")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Set-Cookie" not in response.headers
