from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from masthead.news.models import ArticleByline, Author, Kicker, SectionPage


class QuickSelect(forms.Select):
    """Django's <select>, markup unchanged, built in Python: the stock widget renders a
    template per option, which for the section and author lists cost a fifth of the
    search page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class SearchForm(forms.Form):
    """The search page's filters. The query itself is parsed in search.parse_query: any text
    is acceptable there, so it is a plain field without validation that could reject it."""

    q = forms.CharField(label="Search for", required=False, strip=True)
    section = forms.ModelChoiceField(
        label="Section",
        queryset=SectionPage.objects.none(),
        required=False,
        empty_label="Any",
        widget=QuickSelect,
    )
    author = forms.ModelChoiceField(
        label="Author",
        queryset=Author.objects.none(),
        required=False,
        empty_label="Anyone",
        to_field_name="slug",
        widget=QuickSelect,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kicker = forms.ChoiceField(
        label="Label", choices=[("", "Any"), *Kicker.choices], required=False, widget=QuickSelect
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[("relevance", "Relevance"), ("newest", "Newest first")],
        required=False,
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = (
            SectionPage.objects.live().public().order_by("path").only("title", "path", "depth")
        )
        # Authors with any byline: an index probe per author, not a scan of every story.
        self.fields["author"].queryset = (
            Author.objects.filter(Exists(ArticleByline.objects.filter(author=OuterRef("pk"))))
            .order_by("name")
            .only("name", "slug")
        )
        self.fields["section"].label_from_instance = lambda s: "— " * (s.depth - 3) + s.title

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self):
        """Valid filters only: a bad value is reported on the form and otherwise ignored."""
        data = getattr(self, "cleaned_data", {})
        return {
            "section": data.get("section"),
            "author": data.get("author"),
            "date_from": data.get("date_from") if "date_to" not in self.errors else None,
            "date_to": data.get("date_to"),
            "kicker": data.get("kicker") or "",
            "newest": data.get("sort") == "newest",
        }

    def has_filters(self):
        f = self.filters()
        return any(f[k] for k in ("section", "author", "date_from", "date_to", "kicker"))
