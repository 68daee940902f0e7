"""Form fields shared by every form where a reader gives their address."""

from django import forms


def email_address_field():
    """The reader's email address, with the wording every reader form uses."""
    return forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "That doesn't look like an email address. Please check it.",
            "max_length": "That address is too long (at most 254 characters).",
        },
    )
