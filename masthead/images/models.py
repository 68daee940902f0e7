"""The newsroom's image library: every picture carries its caption, credit and alt text."""

from django.db import models
from wagtail.images.models import AbstractImage, AbstractRendition


class NewsImage(AbstractImage):
    caption = models.CharField(
        max_length=500, blank=True, help_text="What the picture shows, as printed under it."
    )
    credit = models.CharField(
        max_length=255,
        blank=True,
        help_text="Agency and photographer, e.g. 'Courier/Ana Ruiz'. Required to publish.",
    )
    alt_text = models.CharField(
        max_length=400,
        blank=True,
        help_text="Describes the picture for readers who cannot see it. Required to publish.",
    )
    is_file_photo = models.BooleanField(
        default=False, help_text="An archive picture, not taken for this story."
    )

    admin_form_fields = (
        "title",
        "file",
        "alt_text",
        "caption",
        "credit",
        "is_file_photo",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    @property
    def default_alt_text(self):
        return self.alt_text or ""

    @property
    def credit_line(self):
        """The credit as shown to readers, with the file-photo flag appended."""
        if self.credit and self.is_file_photo and "file photo" not in self.credit.lower():
            return f"{self.credit}/File Photo"
        return self.credit

    def publishing_problems(self):
        """What must be fixed before this image can lead a published story."""
        problems = []
        if not self.alt_text.strip():
            problems.append(f"The lead image '{self.title}' has no alt text.")
        if not self.credit.strip():
            problems.append(f"The lead image '{self.title}' has no credit.")
        return problems


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
