"""Publications of an organisation's public page «Наставничество»: news, results of the program and
«лучший наставник». Everyone featured (named, pictured) needs the separate consent to
dissemination (152-ФЗ art. 10.1): checked when the curator publishes and again at every render, so
a revoked consent hides the publication at once. The photo is kept in the private storage and
served by a public view only while the publication may be shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nastavnik.base.files import FileContentValidator, RandomName, private_storage
from nastavnik.orgs.models import Organisation
from nastavnik.registry.models import Person


class PublicationKind(models.TextChoices):
    NEWS = "news", "Новость"
    RESULTS = "results", "Итоги программы"
    BEST_MENTOR = "best_mentor", "Лучший наставник"


PHOTO_FORMATS = ("jpeg", "png")


class Publication(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="организация", on_delete=models.PROTECT, related_name="publications"
    )
    kind = models.CharField(
        "вид", max_length=20, choices=PublicationKind.choices, default=PublicationKind.NEWS
    )
    title = models.CharField("заголовок", max_length=300)
    text = models.TextField("текст")
    published_on = models.DateField("дата публикации")
    is_published = models.BooleanField("опубликовано", default=False)
    photo = models.FileField(
        "фотография",
        upload_to=RandomName("publications"),
        storage=private_storage,
        blank=True,
        validators=[FileContentValidator(PHOTO_FORMATS, "SCAN_UPLOAD_MAX_MB")],
        help_text="JPEG или PNG. Все, кто на фото, должны быть отмечены ниже и дать согласие на распространение.",
    )
    people = models.ManyToManyField(
        Person,
        verbose_name="кто упомянут или на фото",
        blank=True,
        related_name="publications",
        help_text="Каждому нужно согласие на распространение персональных данных (ст. 10.1 152-ФЗ).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "публикация о наставничестве"
        verbose_name_plural = "публикации о наставничестве"
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "is_published", "published_on"])]

    def __str__(self) -> str:
        return self.title
