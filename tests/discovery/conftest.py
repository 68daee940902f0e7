import pytest


@pytest.fixture
def no_page_cache(settings):
    """Measure the views themselves, not the anonymous page cache in front of them."""
    settings.MASTHEAD_PAGE_CACHE = False
