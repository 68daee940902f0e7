import pytest

from masthead.comments.models import BlockedTerm, Comment
from tests.comments.conftest import member, post, sign_in

pytestmark = pytest.mark.django_db


def _error(response):
    from lxml import html

    doc = html.fromstring(response.content)
    return doc.xpath('//div[@class="form-error"]')[0].text_content().strip()


def _kept(response):
    from lxml import html

    return html.fromstring(response.content).xpath('//textarea[@name="body"]')[0].text


def test_member_rate_limit_explains_and_keeps_text(reader_client, story, settings):
    """Over the per-member limit the post is refused with a wait time; the text is kept."""
    settings.COMMENTS_RATE_LIMITS_MEMBER = [(60, 2)]
    assert post(reader_client, story, "one").status_code == 302
    assert post(reader_client, story, "two").status_code == 302
    response = post(reader_client, story, "three is too many")
    assert response.status_code == 429
    assert "posting too quickly" in _error(response)
    assert _kept(response) == "three is too many"
    assert Comment.objects.count() == 2


def test_ip_rate_limit_spans_members(client, story, settings):
    """Many accounts from one address share the address's allowance."""
    settings.COMMENTS_RATE_LIMITS_IP = [(60, 2)]
    codes = []
    for i in range(3):
        sign_in(client, member())
        codes.append(post(client, story, f"comment {i}").status_code)
    assert codes == [302, 302, 429]


def test_duplicate_comment_suppressed(reader_client, story):
    """Posting the same text again (any article) is refused with a reason."""
    post(reader_client, story, "Same words here.")
    response = post(reader_client, story, "same   WORDS here.")
    assert response.status_code == 400
    assert "already posted this comment" in _error(response)
    assert Comment.objects.count() == 1


def test_link_limit(reader_client, story, settings):
    """More links than allowed is refused with the count."""
    settings.COMMENTS_MAX_LINKS = 2
    body = "a https://a.example b https://b.example c https://c.example"
    response = post(reader_client, story, body)
    assert response.status_code == 400
    assert "at most 2 links; yours has 3" in _error(response)
    assert not Comment.objects.exists()


def test_blocklisted_word_and_domain(reader_client, story):
    """Editors' blocked words (even disguised by case or width) and domains are refused."""
    BlockedTerm.objects.create(kind="word", value="Grifter")
    BlockedTerm.objects.create(kind="domain", value="spam.example")
    response = post(reader_client, story, "What a ＧＲＩＦＴＥＲ.")
    assert "“grifter”" in _error(response)
    response = post(reader_client, story, "Read https://www.spam.example/deal")
    assert "Links to spam.example are not allowed" in _error(response)
    assert post(reader_client, story, "Grifters is a different word.").status_code == 302
    assert Comment.objects.count() == 1


def test_honeypot_refuses_with_reason(reader_client, story):
    """A filled hidden field refuses the post and says why."""
    response = post(reader_client, story, "Bot text", website="http://x.example")
    assert response.status_code == 400
    assert "meant to stay empty" in _error(response)
    assert not Comment.objects.exists()


def test_length_limit(reader_client, story, settings):
    """Too long a comment is refused with the limit and its length; nothing stored."""
    settings.COMMENTS_MAX_LENGTH = 50
    response = post(reader_client, story, "x" * 51)
    assert "at most 50 characters; yours has 51" in _error(response)
    assert not Comment.objects.exists()


def test_empty_comment_refused(reader_client, story):
    """A comment of only invisible characters is empty after normalisation."""
    response = post(reader_client, story, "\u202e\u200b \n ")
    assert "Write something" in _error(response)
