"""The demo's featured story shows every element of the reference news page."""

import json

import pytest
from lxml import html

from masthead.demo import content
from masthead.demo.loader import load_demo_site

pytestmark = pytest.mark.django_db

F = content.FEATURED


@pytest.fixture
def featured(client):
    load_demo_site()
    response = client.get(
        "/politics/election-news/calder-allies-reassure-neighbours-river-compact/"
    )
    assert response.status_code == 200
    return html.fromstring(response.content)


def _text(el):
    return " ".join(el.text_content().split())


def _json_ld(doc, kind):
    found = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    (data,) = [d for d in found if d["@type"] == kind]
    return data


def test_featured_story_has_every_element_of_the_reference_page(featured):
    """Breadcrumbs, kicker, both headlines, captioned credited photo, 3 h2, quotes, source."""
    doc = featured
    article = doc.xpath("//main//article[@class='article']")[0]
    crumbs = [_text(a) for a in article.xpath(".//nav[@aria-label='Breadcrumb']//a")]
    assert crumbs == ["Home", "Politics", "Election News"]

    header = article.xpath(".//header")[0]
    kicker, h1 = header.xpath("./p[contains(@class,'kicker')] | ./h1")
    assert (_text(kicker), _text(h1)) == ("Exclusive", F["title"])
    assert len(doc.xpath("//h1")) == 1
    assert _text(doc.xpath("//title")[0]).startswith(F["seo_title"])
    assert F["seo_title"] != F["title"]
    assert doc.xpath("//meta[@property='og:title']/@content") == [F["social_title"]]
    assert _text(header.xpath(".//p[@class='dek']")[0]) == F["dek"]

    figure = article.xpath(".//figure[@class='lead-figure']")[0]
    assert figure.xpath(".//img/@alt")[0].startswith("Mayor Ilse Calder at a lectern")
    caption = _text(figure.xpath("./figcaption/span[@class='caption']")[0])
    credit = _text(figure.xpath("./figcaption/span[@class='credit']")[0])
    assert caption.startswith("Mayor Ilse Calder speaks during the signing")
    assert credit == "COURIER WIRE/Tomas Reyes/File Photo"

    subheads = [_text(h) for h in article.xpath(".//div[@class='article__body']/h2")]
    assert subheads == [
        "Planning for a second term",
        "Backing the current arrangements",
        "Continuity on the river",
    ]
    assert article.xpath(".//h2[@id='planning-for-a-second-term']")
    quotes = article.xpath(".//figure[contains(@class,'quote')]")
    speakers = [_text(q.xpath(".//cite")[0]) for q in quotes]
    assert speakers == ["Colm Baptiste", "Odile Marchetti", "Teodor Lindqvist", "Hana Voss"]
    assert _text(quotes[0].xpath(".//span[@class='quote__role']")[0]).startswith("former chief")
    assert quotes[0].xpath(".//blockquote")[0].text_content().startswith("I told them plainly")
    assert _text(article.xpath(".//p[@class='source-attribution']")[0]) == (
        "Based on reporting by Courier Wire"
    )

    byline = article.xpath(".//p[@class='byline']/a")
    assert [(_text(a), a.get("href")) for a in byline] == [
        ("Mara Okafor", "/authors/mara-okafor/"),
        ("Daniel Whitlow", "/authors/daniel-whitlow/"),
    ]
    assert header.xpath(".//time/@datetime")
    assert [_text(a) for a in article.xpath(".//nav[@aria-label='Topics']//a")] == F["topics"]
    assert doc.xpath("//section[@class='newsletter-box']")
    assert doc.xpath("//section[@id='comments']")
    assert len(doc.xpath("//aside[@class='related']//article")) >= 3


def test_featured_story_structured_data(featured):
    """NewsArticle and BreadcrumbList JSON-LD parse and carry what search engines require."""
    data = _json_ld(featured, "NewsArticle")
    assert data["headline"] == F["seo_title"][:110]
    assert data["description"] == F["dek"]
    assert data["datePublished"] <= data["dateModified"]
    assert [a["name"] for a in data["author"]] == ["Mara Okafor", "Daniel Whitlow"]
    assert data["author"][0]["url"].endswith("/authors/mara-okafor/")
    assert data["publisher"]["name"] == "The Northgate Courier"
    assert data["publisher"]["logo"]["url"].startswith("http")
    assert data["articleSection"] == "Election News"
    assert data["keywords"] == F["topics"]
    assert data["image"][0].startswith("http") and "1200x630" in data["image"][0]
    assert data["mainEntityOfPage"]["@id"].endswith(F["slug"] + "/")
    assert data["creditText"] == F["source_attribution"]
    crumbs = _json_ld(featured, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Politics", "Election News", F["title"]]
    assert [c["position"] for c in crumbs] == [1, 2, 3, 4]


def test_featured_story_opens_with_a_moderated_discussion(client):
    """Readers see the approved comments with their replies and the editors' pick; the one
    left waiting is in the moderators' queue, not on the page."""
    from django.contrib.auth import get_user_model

    article = load_demo_site()
    thread = html.fromstring(client.get(f"/comments/{article.pk}/").content)
    shown = {
        _text(c.xpath(".//span[@class='comment__by']")[0]): c
        for c in thread.xpath("//article[contains(@class,'comment')]")
    }
    approved = [c["name"] for c in content.COMMENTS if not c.get("pending")]
    assert sorted(shown) == sorted(approved)
    replies = thread.xpath("//ol[@class='comment-replies']//span[@class='comment__by']")
    assert sorted(_text(r) for r in replies) == ["Jonah P.", "R. Adeyemi"]
    assert "comment--pick" in shown["Harwick ferry user"].get("class")
    assert "Curious reader" not in shown

    admin = get_user_model().objects.create_superuser("mod", "mod@example.org", "pw")
    client.force_login(admin)
    queue = client.get("/admin/comments/").content.decode()
    assert "Has the other candidate said anything" in queue
