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
