"""Reader forms: the signup box / newsletter page, and newsletter preferences."""

import unicodedata

from django import forms
from django.db.models import Q
from django.utils.http import url_has_allowed_host_and_scheme

from masthead.members.forms import email_address_field
from masthead.newsletter.models import NewsletterList
from masthead.newsletter.subscriptions import CURRENT_CONSENT

UNKNOWN_LIST = "That newsletter is not offered here. Please choose from the list."


class ListsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", **kwargs)
        self.error_messages["invalid_choice"] = UNKNOWN_LIST
        self.error_messages["invalid_pk_value"] = UNKNOWN_LIST

    def label_from_instance(self, obj):
        return obj.name


def _no_control_characters(value):
    # Names end up in mail headers: a line break there could add headers of its own.
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise forms.ValidationError("Please use letters, spaces and punctuation only.")


class SignupForm(forms.Form):
    email = email_address_field()
    name = forms.CharField(
        label="Your name (optional)",
        max_length=80,
        required=False,
        validators=[_no_control_characters],
        error_messages={"max_length": "Please keep your name under 80 characters."},
    )
    lists = ListsField(
        NewsletterList.objects.filter(is_public=True),
        label="Newsletters",
        error_messages={"required": "Please choose at least one newsletter."},
    )
    source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    consent = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = forms.CharField(required=False, max_length=200, label="Leave this field empty")

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        local, _, domain = self.cleaned_data["email"].strip().rpartition("@")
        return f"{local}@{domain.lower()}"

    def clean_source(self):
        source = self.cleaned_data.get("source") or ""
        allowed = {self.request.get_host()} if self.request else set()
        if not source.startswith("/") or not url_has_allowed_host_and_scheme(source, allowed):
            return ""
        return source

    def clean_consent(self):
        return self.cleaned_data.get("consent") or CURRENT_CONSENT

    def is_bot(self):
        return bool(self.data.get("website"))


class PreferencesForm(forms.Form):
    lists = ListsField(None, label="Newsletters you receive", required=False)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = NewsletterList.objects.filter(
            Q(is_public=True) | Q(subscriptions__member=member)
        ).distinct()
