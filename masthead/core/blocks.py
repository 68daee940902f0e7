"""The StreamField blocks an article body is built from.

Quotes, fact boxes and related-story links are data, not formatted text: the speaker of a
quote is stored apart from what they said, so templates, feeds and structured data can use it.
"""

from django.utils.text import slugify
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

INLINE_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]
PARAGRAPH_FEATURES = [*INLINE_FEATURES, "ol", "ul"]


class SubheadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    anchor = blocks.CharBlock(
        max_length=80,
        required=False,
        help_text="Anchor for links to this part of the story; made from the text when empty.",
    )

    class Meta:
        icon = "title"
        template = "blocks/subheading.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = subheading_anchor(value)
        return context


def subheading_anchor(value):
    return slugify(value.get("anchor") or value.get("text") or "") or "section"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="The words as spoken, without quotation marks.")
    speaker = blocks.CharBlock(max_length=200)
    role = blocks.CharBlock(
        max_length=300, required=False, help_text="Who the speaker is, e.g. 'senior adviser'."
    )
    pull = blocks.BooleanBlock(required=False, help_text="Display as a large pull quote.")

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(
        required=False, max_length=500, help_text="Overrides the image library caption."
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    body = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "list-ul"
        template = "blocks/fact_box.html"


class RelatedStoryBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(page_type="news.ArticlePage")
    label = blocks.CharBlock(max_length=100, required=False, default="Read more")

    class Meta:
        icon = "link"
        template = "blocks/related_story.html"

    def get_context(self, value, parent_context=None):
        # Readers never see the headline of a story they could not open; the editor's
        # preview says why the link is missing.
        context = super().get_context(value, parent_context)
        page = value.get("page")
        shown = page is not None and page.is_published()
        context["story"] = page if shown else None
        context["hidden_story"] = None if shown else page
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    # No template: the rich text's own HTML is the markup, and a story is mostly paragraphs
    # (a block template costs each one a template render and a copy of the page's context).
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    subheading = SubheadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock(max_width=800, template="blocks/embed.html")
    fact_box = FactBoxBlock()
    related_story = RelatedStoryBlock()
