"""The newsroom's content: the front page, sections, articles, authors, topics, corrections."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from masthead.core.blocks import ArticleBodyBlock
from masthead.core.models import MastheadPage, MastheadPageQuerySet
from masthead.core.reversing import cached_reverse

ARTICLES_PER_PAGE = 20


class Kicker(models.TextChoices):
    EXCLUSIVE = "exclusive", "Exclusive"
    BREAKING = "breaking", "Breaking"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    EXPLAINER = "explainer", "Explainer"
    LIVE = "live", "Live"
    SPONSORED = "sponsored", "Sponsored"


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(max_length=200, blank=True, help_text="e.g. 'Political correspondent'")
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("news:author", kwargs={"slug": self.slug})

    @property
    def url(self):
        return self.get_absolute_url()


class ArticleTopic(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_topics"
    )


def topic_url(tag):
    return reverse("news:topic", kwargs={"slug": tag.slug})


class ArticlePageQuerySet(MastheadPageQuerySet):
    def published(self):
        """Live, public articles whose publication time has come: what readers may see."""
        return self.live().public().filter(first_published_at__lte=timezone.now())

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def for_listing(self):
        """Everything a story card shows, fetched with the articles, not per card."""
        bylines = models.Prefetch(
            "bylines", queryset=ArticleByline.objects.select_related("author")
        )
        return self.select_related("lead_image", "comment_thread").prefetch_related(
            bylines, "lead_image__renditions"
        )

    def in_section(self, section):
        return self.descendant_of(section)

    def by_author(self, author):
        return self.filter(bylines__author=author).distinct()

    def with_topic(self, slug):
        return self.filter(tagged_topics__tag__slug=slug).distinct()


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


def articles_published():
    """The single definition of 'what readers may see', for pages, feeds, sitemaps and mail."""
    return ArticlePage.objects.published()


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class HomePage(MastheadPage):
    """The front page: a top story, then the latest from each section."""

    top_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to lead with the newest story.",
    )
    stories_per_section = models.PositiveSmallIntegerField(default=4)

    content_panels = [
        *Page.content_panels,
        FieldPanel("top_story"),
        FieldPanel("stories_per_section"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from masthead.news.selectors import front_page_layout

        context = super().get_context(request, *args, **kwargs)
        context.update(front_page_layout(home=self))
        return context


class SectionPage(MastheadPage):
    """A section of the site (Politics › Election News); sections nest."""

    intro = models.TextField(blank=True, max_length=600)
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to lead with the newest story in the section.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("lead_story")]
    parent_page_types = ["news.HomePage", "news.SectionPage"]
    subpage_types = ["news.SectionPage", "news.ArticlePage"]

    def articles(self):
        return ArticlePage.objects.published().in_section(self).newest_first()

    def get_meta_description(self):
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page = paginate(request, self.articles().for_listing())
        lead = None
        stories = list(page.object_list)
        if page.number == 1:
            lead = self.lead_story if self.lead_story_id else None
            if lead is not None and not (lead.live and lead.path.startswith(self.path)):
                lead = None
            if lead is None and stories:
                lead = stories[0]
            stories = [s for s in stories if s.pk != getattr(lead, "pk", None)]
        context.update(
            lead=lead,
            stories=stories,
            page_obj=page,
            subsections=self.get_children().type(SectionPage).live().public().order_by("path"),
        )
        return context


class PublishingRefused(Exception):
    """A story may not go live as it stands; the message says what to fix.

    Not a PermissionDenied: Wagtail's admin would swallow that into "you do not have
    permission"; news.middleware shows the editor this message instead."""


class ArticlePageForm(WagtailAdminPageForm):
    """Refuses to publish a story whose lead image lacks what readers and the law need.

    Covers the editor's Publish (and Schedule) button and approving the story from the
    editor. Approvals outside the editor and scheduled go-live meet the same rule in
    ArticlePage.publish and news.services.scheduled_pages_publish.
    """

    def _publishes(self):
        return "action-publish" in self.data or (
            "action-workflow-action" in self.data
            and self.data.get("workflow-action-name") == "approve"
        )

    def clean(self):
        cleaned = super().clean()
        if self._publishes():
            image = cleaned.get("lead_image")
            if image is not None:
                for problem in image.publishing_problems():
                    self.add_error(
                        "lead_image", f"{problem} Add it in the image library before publishing."
                    )
        return cleaned


class ArticlePage(MastheadPage):
    kicker = models.CharField(max_length=20, choices=Kicker.choices, blank=True)
    social_title = models.CharField(
        "social headline",
        max_length=200,
        blank=True,
        help_text="Headline for social shares. Falls back to the display headline.",
    )
    dek = models.TextField(
        "standfirst",
        max_length=600,
        help_text="One or two sentences under the headline; also the summary in listings and "
        "search results.",
    )
    lead_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(
        max_length=500, blank=True, help_text="Overrides the image library caption for this story."
    )
    dateline = models.CharField(max_length=100, blank=True, help_text="e.g. 'HARBOUR CITY'")
    body = StreamField(ArticleBodyBlock())
    source_attribution = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Based on reporting by Courier Wire'"
    )
    source_url = models.URLField(blank=True, help_text="The original report, if public.")
    topics = ClusterTaggableManager(through=ArticleTopic, blank=True)
    comments_enabled = models.BooleanField("comments open", default=True)
    newsletter_promo = models.BooleanField("show the newsletter signup", default=True)

    objects = ArticlePageManager()
    base_form_class = ArticlePageForm

    content_panels = [
        FieldPanel("kicker"),
        FieldPanel("title", heading="Display headline"),
        FieldPanel("dek"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading="Lead image"
        ),
        InlinePanel("bylines", label="Byline", min_num=1),
        FieldPanel("dateline"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("source_attribution"), FieldPanel("source_url")], heading="Source"
        ),
        FieldPanel("topics"),
        InlinePanel("corrections", label="Correction"),
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title", heading="SEO headline"),
                FieldPanel("social_title"),
                FieldPanel("search_description"),
            ],
            heading="Search and sharing",
        ),
        MultiFieldPanel(
            [FieldPanel("comments_enabled"), FieldPanel("newsletter_promo")], heading="Reader tools"
        ),
    ]
    search_fields = [
        *Page.search_fields,
        # Headline above standfirst above body: distinct boosts become PostgreSQL weights B, C, D.
        index.SearchField("title", boost=5),
        index.SearchField("dek", boost=2),
        index.SearchField("body"),
        index.FilterField("kicker"),
        index.FilterField("first_published_at"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "article"

    @classmethod
    def serving_queryset(cls):
        """How the page is loaded to be served (masthead.delivery.routing): one query with
        what the template shows alongside the story's own fields, and the story's kept
        part (masthead.news.story)."""
        from masthead.delivery import with_kept_fragment
        from masthead.news.story import FRAGMENT_PREFIX

        return with_kept_fragment(
            cls.objects.select_related("lead_image", "comment_thread"), FRAGMENT_PREFIX
        )

    @property
    def kicker_label(self):
        return self.get_kicker_display() if self.kicker else ""

    def get_meta_description(self):
        return self.search_description or self.dek

    def get_social_title(self):
        return self.social_title or self.title

    def get_social_image(self):
        return self.lead_image

    @property
    def caption(self):
        if self.lead_image_caption:
            return self.lead_image_caption
        return self.lead_image.caption if self.lead_image_id else ""

    @property
    def updated_at(self):
        """When the story last changed meaningfully after first publication, else None."""
        first, last = self.first_published_at, self.last_published_at
        if first and last and (last - first).total_seconds() > 60:
            return last
        return None

    @cached_property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def is_published(self):
        """ArticlePage.objects.published() for one story already loaded, without a query."""
        published = self.first_published_at
        return (
            self.live
            and published is not None
            and published <= timezone.now()
            and not self.is_private()
        )

    def publishing_problems(self):
        return self.lead_image.publishing_problems() if self.lead_image_id else []

    def publish(self, revision, *args, **kwargs):
        """Every way to go live passes here: editor, workflow approval, schedule, scripts."""
        problems = revision.as_object().publishing_problems()
        if problems:
            raise PublishingRefused(" ".join(problems))
        return super().publish(revision, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from masthead.news.story import story_context

        context = super().get_context(request, *args, **kwargs)
        context.update(story_context(request=request, article=self, context=context))
        return context


class ArticleByline(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    def __str__(self):
        return str(self.author)


class Correction(Orderable):
    """A published note that something in the story was wrong and has been fixed."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(default=timezone.now)
    text = RichTextField(features=["bold", "italic", "link"])

    panels = [FieldPanel("published_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["published_at"]


class SchedulerCheck(models.Model):
    """When a worker last finished looking for pages due to go live (one row): the
    admin warns editors when scheduled stories wait and no worker has looked lately."""

    at = models.DateTimeField()

    def __str__(self):
        return f"Scheduler last looked at {self.at:%Y-%m-%d %H:%M:%S}"
