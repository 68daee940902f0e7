import pytest


@pytest.fixture(autouse=True)
def _stamp_file(tmp_path, settings):
    """Each test's cross-process purge stamp lives in its own folder."""
    settings.MASTHEAD_PAGE_CACHE_STAMP_FILE = tmp_path / "page-cache.stamp"


@pytest.fixture
def site(db):
    """A front page, a section, an article by a named author with a topic."""
    from tests import factories

    home = factories.home()
    section = factories.section(title="Harbour News", slug="harbour")
    writer = factories.author(name="Ines Varga", slug="ines-varga")
    story = factories.article(
        section, authors=[writer], topics=["Shipping"], title="Cranes return to the quay"
    )
    return {"home": home, "section": section, "author": writer, "article": story}
