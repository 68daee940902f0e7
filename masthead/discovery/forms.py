from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from masthead.news.models import Kicker
from masthead.news.selectors import authors_bylined, sections_listed


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


class ListedChoiceField(forms.ChoiceField):
    """A choice among the objects `listed()` returns, cleaned to the object itself.

    The list is the owning app's remembered one (see masthead.delivery.memo), read each
    time the form is built or checked, so listing and checking the options costs no query
    and a new section or author is offered after the next purge."""

    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices."
    }

    def __init__(self, *, listed, key, label_for, empty_label, **kwargs):
        self.listed, self.key, self.label_for = listed, key, label_for
        super().__init__(
            choices=lambda: [("", empty_label), *((key(o), label_for(o)) for o in listed())],
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return next((o for o in self.listed() if self.key(o) == value), None)


# The range a date filter may take: the search turns a day into the times from its start
# to the next day's, which past the calendar's last day (or, in a time zone east of UTC,
# before its first) cannot be written.
EARLIEST_DAY, LATEST_DAY = date(1000, 1, 1), date(9998, 12, 31)
_DAY_RANGE_MESSAGE = "Enter a date between the years 1000 and 9998."


def _day_field(label):
    return forms.DateField(
        label=label,
        required=False,
        validators=[
            MinValueValidator(EARLIEST_DAY, message=_DAY_RANGE_MESSAGE),
            MaxValueValidator(LATEST_DAY, message=_DAY_RANGE_MESSAGE),
        ],
        widget=forms.DateInput(
            attrs={"type": "date", "min": EARLIEST_DAY.isoformat(), "max": LATEST_DAY.isoformat()}
        ),
    )


class SearchForm(forms.Form):
    """The search page's filters. The query itself is parsed in search.parse_query: any text
    is acceptable there, so it is a plain field without validation that could reject it."""

    q = forms.CharField(label="Search for", required=False, strip=True)
    section = ListedChoiceField(
        label="Section",
        listed=sections_listed,
        key=lambda s: str(s.pk),
        # Top-level sections sit at depth 3 (tree root, front page); subsections indented.
        label_for=lambda s: "— " * (s.depth - 3) + s.title,
        empty_label="Any",
        required=False,
        widget=QuickSelect,
    )
    author = ListedChoiceField(
        label="Author",
        listed=authors_bylined,
        key=lambda a: a.slug,
        label_for=lambda a: a.name,
        empty_label="Anyone",
        required=False,
        widget=QuickSelect,
    )
    date_from = _day_field("From")
    date_to = _day_field("To")
    kicker = forms.ChoiceField(
        label="Label", choices=[("", "Any"), *Kicker.choices], required=False, widget=QuickSelect
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[("relevance", "Relevance"), ("newest", "Newest first")],
        required=False,
        widget=QuickSelect,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                forms.ValidationError("The end date is before the start date.", code="order"),
            )
        return cleaned

    def filters(self):
        """Valid filters only: a bad value is reported on the form and otherwise ignored."""
        data = getattr(self, "cleaned_data", {})
        return {
            "section": data.get("section"),
            "author": data.get("author"),
            # Dates the wrong way round are both ignored; a start date alone still applies.
            "date_from": None if self.has_error("date_to", "order") else data.get("date_from"),
            "date_to": data.get("date_to"),
            "kicker": data.get("kicker") or "",
            "newest": data.get("sort") == "newest",
        }

    def has_filters(self):
        f = self.filters()
        return any(f[k] for k in ("section", "author", "date_from", "date_to", "kicker"))
