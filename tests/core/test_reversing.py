"""Links reversed once per process must be the links Django would write."""

import pytest
from django.test import override_settings
from django.urls import reverse

from masthead.core.reversing import cached_reverse


@pytest.mark.parametrize("article_id", [1, 7, 42, 987_654_321_000, 10**15])
def test_each_story_links_its_own_comment_thread(article_id):
    for name in ("comments:thread", "comments:fragment", "comments:post"):
        cached_reverse(name, args=(3,))  # the route's shape is known from here on
        assert cached_reverse(name, args=(article_id,)) == reverse(name, args=(article_id,))
        assert str(article_id) in cached_reverse(name, args=(article_id,))


@override_settings(ROOT_URLCONF="tests.core.padded_urls")
def test_routes_with_several_numbers_and_other_converters_stay_right():
    for story, note in [(5, 6), (12, 12), (0, 300)]:
        assert cached_reverse("two", args=(story, note)) == f"/story/{story}/note/{note}/"
    # A converter that writes numbers its own way is reversed by Django every time.
    for number in (123456, 5, 77):
        assert cached_reverse("padded", args=(number,)) == f"/issue/{number:06d}/"
