"""What the organisation keeps in the database. Plain fields only, so SQLite and PostgreSQL behave alike."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from smimecenter.organisation import places
from smimecenter.organisation.markdown_safe import render_safe_markdown


class Organisation(models.Model):
    """The one organisation this copy of the site belongs to (a single row, id 1)."""

    SINGLETON_ID = 1

    name = models.CharField(max_length=100, blank=True,
                            help_text="Shown in the site header, and in reports as “ACME's root” when the name is ACME.")
    # The logo lives in the database rather than on disk so that app servers keep no files of their own.
    logo = models.BinaryField(blank=True, null=True, editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisation"

    def __str__(self) -> str:
        return self.name or "Your organisation"

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Organisation | None:
        return cls.objects.filter(pk=cls.SINGLETON_ID).first()


class OrganisationTrustAnchor(models.Model):
    """A private root the diagnose tool trusts in addition to the built-in store."""

    pem = models.TextField(
        "certificate (PEM)",
        help_text="The root certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.")
    note = models.CharField(
        max_length=120, blank=True,
        help_text="How reports name this root, for example “ACME Staff Root 2025”. "
                  "Left empty, reports use the organisation's name: “ACME's root”.")
    # Read from the certificate when it is saved, for the admin's list.
    subject = models.CharField(max_length=500, editable=False)
    not_after = models.DateTimeField("expires", editable=False)
    sha256 = models.CharField("SHA-256 fingerprint", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "trust anchor (private root)"
        verbose_name_plural = "trust anchors (private roots)"
        ordering = ["subject"]

    def __str__(self) -> str:
        return self.note or self.subject or "trust anchor"

    def clean(self) -> None:
        from smimecenter.organisation.anchors import AnchorProblem, read_anchor

        try:
            anchor = read_anchor(self.pem)
        except AnchorProblem as problem:
            raise ValidationError({"pem": str(problem)}) from None
        self._keep(anchor)
        duplicate = OrganisationTrustAnchor.objects.filter(sha256=self.sha256).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"pem": "This certificate is already a trust anchor."})

    def save(self, *args: object, **kwargs: object) -> None:
        # Whatever path saves a row (admin, shell, fixtures), it holds one parsed certificate and nothing else.
        from smimecenter.organisation.anchors import read_anchor

        self._keep(read_anchor(self.pem))
        super().save(*args, **kwargs)

    def _keep(self, anchor) -> None:
        self.pem, self.not_after, self.sha256 = anchor.pem, anchor.not_after, anchor.sha256
        # PostgreSQL enforces the column's length; a very long subject is cut for the list, not refused.
        limit = self._meta.get_field("subject").max_length
        self.subject = anchor.subject if len(anchor.subject) <= limit else anchor.subject[:limit - 1] + "…"

    @property
    def expired(self) -> bool:
        return self.not_after <= timezone.now()


class ReadingList(models.Model):
    """An ordered path through the site that an admin sends staff, such as “Set up S/MIME at ACME”."""

    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True,
                            help_text="The last part of the list's address (/lists/this-part/). Changing it breaks links "
                                      "already sent.")
    introduction = models.TextField(blank=True, help_text="Markdown. Shown above the items.")
    introduction_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.introduction_html = render_safe_markdown(self.introduction)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/lists/{self.slug}/"


class ReadingListItem(models.Model):
    """One step of a reading list: an article, or one section of it, with an optional note."""

    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0, help_text="Items are shown in this order, smallest first.")
    page_slug = models.CharField("article", max_length=120)
    anchor = models.CharField("section", max_length=120, blank=True)
    note = models.CharField(max_length=300, blank=True,
                            help_text="Plain text, for example “Use the address ending in @acme.example”.")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "item"

    def __str__(self) -> str:
        return places.describe(self.page_slug, self.anchor)

    def resolved(self) -> places.ResolvedPlace:
        return places.resolve(self.page_slug, self.anchor)


class OrganisationNote(models.Model):
    """The organisation's own words at the top of an article or of one of its sections."""

    page_slug = models.CharField("article", max_length=120)
    anchor = models.CharField("section", max_length=120, blank=True,
                              help_text="Empty: the note goes at the top of the article.")
    body = models.TextField(help_text="Markdown, for example “At ACME, request your certificate at "
                                      "[pki.acme.example](https://pki.acme.example)”.")
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["page_slug", "anchor", "id"]
        verbose_name = "note on an article"
        verbose_name_plural = "notes on articles"

    def __str__(self) -> str:
        return places.describe(self.page_slug, self.anchor)

    def save(self, *args: object, **kwargs: object) -> None:
        self.body_html = render_safe_markdown(self.body)
        super().save(*args, **kwargs)

    def resolved(self) -> places.ResolvedPlace:
        return places.resolve(self.page_slug, self.anchor)


def hash_delete_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class SharedDiagnosis(models.Model):
    """A diagnosis someone chose to share: public certificates, the address they typed, and when.

    Nothing else is kept: not the private key, not the PKCS#12 password, not the message the
    certificates came in. Opening the link runs the diagnosis again on these certificates.
    """

    # secrets.token_urlsafe(32): 256 random bits, 43 characters.
    token = models.CharField(max_length=64, unique=True)
    # Only a hash of the delete token is kept, so reading the database does not let anyone delete shares.
    delete_token_hash = models.CharField(max_length=64)
    certificates_pem = models.TextField(help_text="Public certificates only, as PEM blocks.")
    email = models.CharField(max_length=320, blank=True)
    diagnosed_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "shared diagnosis"
        verbose_name_plural = "shared diagnoses"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Shared diagnosis from {self.created_at:%Y-%m-%d %H:%M}" + (f" for {self.email}" if self.email else "")

    def get_absolute_url(self) -> str:
        return f"/share/{self.token}/"

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def delete_token_matches(self, token: str) -> bool:
        return hmac.compare_digest(self.delete_token_hash, hash_delete_token(token))
