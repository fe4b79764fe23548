"""The organisation's models: one organisation, validated roots, sanitised Markdown, safe share tokens."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from django.core.exceptions import ValidationError
from django.utils import timezone

from smimecenter.organisation.anchors import AnchorProblem, read_anchor
from smimecenter.organisation.markdown_safe import render_safe_markdown
from smimecenter.organisation.models import (
    Organisation,
    OrganisationNote,
    OrganisationTrustAnchor,
    ReadingList,
    SharedDiagnosis,
)
from smimecenter.organisation.sharing import create_share
from tests.diagnostics.builders import make_chain, make_root, name, pem, private_key_pem

pytestmark = pytest.mark.django_db


def test_there_is_only_ever_one_organisation() -> None:
    Organisation(name="ACME").save()
    Organisation(name="ACME Europe").save()
    assert Organisation.objects.count() == 1
    assert Organisation.load().name == "ACME Europe"


def test_a_trust_anchor_keeps_the_certificate_and_reads_its_subject_and_expiry() -> None:
    root = make_root(common_name="ACME Staff Root")
    anchor = OrganisationTrustAnchor(pem="Our root:\n" + root.pem.decode() + "\nthanks", note="ACME Staff Root 2025")
    anchor.full_clean()
    anchor.save()
    anchor.refresh_from_db()
    assert anchor.pem == root.pem.decode()
    assert "CN=ACME Staff Root" in anchor.subject
    assert anchor.not_after == root.certificate.not_valid_after_utc
    assert anchor.sha256 == root.sha256


def test_a_trust_anchor_refuses_text_with_a_private_key() -> None:
    root = make_root()
    with pytest.raises(ValidationError) as error:
        OrganisationTrustAnchor(pem=root.pem.decode() + private_key_pem(root.key).decode()).full_clean()
    assert "private key" in str(error.value)


def test_a_trust_anchor_refuses_a_certificate_that_is_not_a_ca() -> None:
    chain = make_chain()
    with pytest.raises(AnchorProblem, match="not a CA certificate"):
        read_anchor(chain.leaf.pem.decode())


@pytest.mark.parametrize("text, words", [
    ("", "No certificate found"),
    ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "could not be read"),
])
def test_a_trust_anchor_explains_what_is_wrong_with_the_text(text: str, words: str) -> None:
    with pytest.raises(AnchorProblem, match=words):
        read_anchor(text)


def test_a_trust_anchor_takes_one_root_at_a_time() -> None:
    with pytest.raises(AnchorProblem, match="Found 2 certificates"):
        read_anchor(pem(make_root(common_name="One"), make_root(common_name="Two")).decode())


def test_the_same_root_cannot_be_added_twice() -> None:
    root = make_root()
    OrganisationTrustAnchor.objects.create(pem=root.pem.decode())
    with pytest.raises(ValidationError, match="already a trust anchor"):
        OrganisationTrustAnchor(pem=root.pem.decode()).full_clean()


def test_markdown_from_admins_loses_scripts_event_handlers_and_javascript_links() -> None:
    html = render_safe_markdown(
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> [bad](javascript:alert(3)) "
        "[good](https://pki.acme.example) <b onclick=\"x()\">bold</b>")
    assert "<script" not in html and "alert(" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html
    assert '<a href="https://pki.acme.example" rel="noopener noreferrer">good</a>' in html


def test_reading_list_and_note_keep_their_sanitised_html_when_saved() -> None:
    reading_list = ReadingList.objects.create(title="Setup", slug="setup", introduction="**Start** <script>x</script>")
    note = OrganisationNote.objects.create(page_slug="why-trust-fails", body="At ACME <iframe src=x></iframe>")
    assert reading_list.introduction_html == "<p><strong>Start</strong> </p>"
    assert "iframe" not in note.body_html and "At ACME" in note.body_html


def test_a_share_has_a_long_random_token_and_keeps_only_a_hash_of_the_delete_token() -> None:
    chain = make_chain()
    share, delete_token = create_share([chain.leaf.der], "alice@example.com", timezone.now())
    assert len(share.token) >= 43   # 32 random bytes, at least 128 bits as asked
    assert share.token != delete_token
    assert delete_token not in share.delete_token_hash
    assert share.delete_token_matches(delete_token)
    assert not share.delete_token_matches(delete_token[:-1] + ("A" if delete_token[-1] != "A" else "B"))


def test_a_share_expires_after_the_configured_number_of_days(settings) -> None:
    settings.SHARE_LIFETIME_DAYS = 7
    share, _ = create_share([make_chain().leaf.der], None, timezone.now())
    assert share.expires_at - share.created_at == dt.timedelta(days=7)
    assert SharedDiagnosis.objects.get().email == ""


def test_a_share_never_claims_a_check_time_in_the_future() -> None:
    share, _ = create_share([make_chain().leaf.der], None, timezone.now() + dt.timedelta(days=3))
    assert share.diagnosed_at <= timezone.now()


def test_a_root_with_a_very_long_subject_fits_its_column() -> None:
    # Eight common names of 64 characters: over 500 characters in RFC 4514 form.
    subject = x509.Name([rdn for letter in "ABCDEFGH" for rdn in name(letter * 64).rdns])
    root = make_root(subject=subject)
    anchor = OrganisationTrustAnchor.objects.create(pem=root.pem.decode())
    assert len(anchor.subject) == OrganisationTrustAnchor._meta.get_field("subject").max_length
    assert anchor.subject.endswith("…")
