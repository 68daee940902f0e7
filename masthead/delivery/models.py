from django.db import models


class PendingPurge(models.Model):
    """A page-cache purge the shared store (Redis) could not take when it was made.

    Written in the same transaction as the change it purges for, so it exists exactly
    when the change does; replayed (and deleted) once the store answers again, by the
    first process that sees it back and by the worker (masthead.delivery.services)."""

    tags = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"purge of {len(self.tags)} tags, {self.created_at:%Y-%m-%d %H:%M:%S}"


class KeptFragment(models.Model):
    """A rendered part of a page kept across page-cache misses (masthead.delivery.fragments).

    `version` names everything the markup was rendered from; `tags` say what it shows, and
    a purge of any of them deletes it (KeptFragmentTag)."""

    name = models.CharField(max_length=100, primary_key=True)
    version = models.CharField(max_length=64)
    parts = models.TextField()  # JSON, as masthead.delivery.fragments writes it
    rendered_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.name}, rendered {self.rendered_at:%Y-%m-%d %H:%M:%S}"


class KeptFragmentTag(models.Model):
    fragment = models.ForeignKey(KeptFragment, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fragment", "tag"], name="kept_fragment_tag_once")
        ]

    def __str__(self):
        return f"{self.fragment_id} shows {self.tag}"
