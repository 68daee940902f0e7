"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 writers carrying what news readers look for:
several authors, full content, and the lead picture with its caption and credit."""

import json

from django.utils import feedgenerator

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _media_content(handler, image):
    attrs = {"url": image["url"], "medium": "image", "type": image["mime_type"]}
    if image.get("width"):
        attrs["width"] = str(image["width"])
        attrs["height"] = str(image["height"])
    handler.startElement("media:content", attrs)
    if image.get("caption"):
        handler.addQuickElement("media:description", image["caption"], {"type": "plain"})
    if image.get("credit"):
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class NewsRssFeed(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NS,
            "xmlns:dc": DC_NS,
            "xmlns:content": CONTENT_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("updateddate"):
            # RSS 2.0 has no element for edits; atom:updated is the one readers understand.
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))
        # RSS's <author> must be an email address; names go in dc:creator, one per author.
        for author in item.get("authors", []):
            handler.addQuickElement("dc:creator", author["name"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("image"):
            _media_content(handler, item["image"])


class NewsAtomFeed(feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", []):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author.get("url"):
                handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item.get("image"):
            _media_content(handler, item["image"])


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=1))

    def writeString(self, encoding):  # noqa: N802 - Django's name
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=1)

    def as_dict(self):
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self._item(item) for item in self.items],
        }
        return feed

    def _item(self, item):
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "summary": item["description"],
            "date_published": item["pubdate"].isoformat(),
        }
        if item.get("content_html"):
            data["content_html"] = item["content_html"]
        else:
            data["content_text"] = item["description"]
        if item.get("updateddate"):
            data["date_modified"] = item["updateddate"].isoformat()
        if item.get("authors"):
            data["authors"] = item["authors"]
        if item.get("categories"):
            data["tags"] = list(item["categories"])
        if item.get("image"):
            data["image"] = item["image"]["url"]
            data["_masthead"] = {
                "image_caption": item["image"].get("caption", ""),
                "image_credit": item["image"].get("credit", ""),
            }
        return data
