"""The five key clusters of the negotiations (General Assembly decision 62/557)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line


class Cluster(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_single_line])
    title = models.CharField(_("title"), max_length=200, unique=True,
                             validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True, validators=[validate_multi_line])

    class Meta:
        ordering = ["number"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=5),
                name="cluster_number_1_to_5",
                violation_error_message=_("A cluster is numbered from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("clusters:detail", kwargs={"slug": self.slug})
