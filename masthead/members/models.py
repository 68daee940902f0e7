"""Readers known by a confirmed email address. No passwords: sign-in is by emailed link."""

from django.db import models
from django.db.models.functions import Lower


class Member(models.Model):
    email = models.EmailField(max_length=254)
    display_name = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # Changes on every sign-in, which spends every sign-in link issued before it.
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="member_email_unique_ci")]

    def __str__(self):
        return self.display_name or self.email
