"""Share links: created only by a POST with CSRF, re-run when opened, gone when expired or deleted,
and never holding anything secret."""
from __future__ import annotations

import base64
import datetime as dt
import re
import time
from html import unescape

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.inputs import read_inputs
from smimecenter.organisation.models import SharedDiagnosis
from smimecenter.organisation.sharing import (certificates_in_pem_text, create_share, offer_token,
                                              purge_now_and_then)
from tests.diagnostics.builders import make_chain, make_leaf, pem, pkcs12_bytes, private_key_pem

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-Battery-9431"
MESSAGE_BODY = "Quarterly figures attached, please do not forward. Canary 5f1e2d"


def _every_stored_value() -> list[bytes]:
    """Every column of every row of every table, as bytes."""
    values: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        values.append(bytes(value))
                    else:
                        values.append(str(value).encode("utf-8"))
    return values


def _secret_needles(*keys) -> list[bytes]:
    """What would betray a key, the password or the message, in any encoding a column might use."""
    needles = [PASSWORD.encode(), MESSAGE_BODY.encode(), b"PRIVATE KEY"]
    for key in keys:
        der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # Pieces of the key: its raw bytes, its hex form, and base64 from within one PEM line (64 characters each).
        middle = der[len(der) // 2: len(der) // 2 + 24]
        needles += [middle, base64.b64encode(der)[70:120], middle.hex().encode()]
    return needles


def _offer_html(context: dict) -> str:
    """The share offer as the result page renders it (with the result page's template engine)."""
    return render_to_string("organisation/_share_offer.jinja", context, using="jinja2")


def _hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html, re.S)}


def _share_offer_fields(report, cards, email: str) -> dict[str, str]:
    """Render the offer the result page includes, and read the hidden fields a browser would post."""
    html = _offer_html({"report": report.to_dict(), "certificates": cards, "email": email, "csrf_token": "x"})
    return _hidden_fields(html)


def _offer(*certificates_der: bytes, email: str | None = None, at: dt.datetime | None = None) -> dict[str, str]:
    return {"offer": offer_token(list(certificates_der), email, at or timezone.now())}


def test_a_share_made_from_a_p12_a_pasted_key_and_an_email_stores_nothing_secret(client: Client) -> None:
    chain = make_chain(email="alice@example.com")
    p12 = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate],
                       password=PASSWORD.encode())
    pasted_key = ec.generate_private_key(ec.SECP256R1())
    pasted = (b"From: alice@example.com\nSubject: figures\n\n" + MESSAGE_BODY.encode() + b"\n\n"
              + pem(chain.leaf, chain.intermediate) + private_key_pem(pasted_key))
    inputs = [p12, pasted]
    report = diagnose(inputs, email="alice@example.com", password=PASSWORD)
    # The result page shows each supplied certificate with its PEM; that is what the offer posts.
    parsed = read_inputs(inputs, password=PASSWORD)
    cards = [{"name": s.certificate.subject.rfc4514_string(),
              "pem": s.certificate.public_bytes(serialization.Encoding.PEM).decode(),
              "data": {"sha256": s.certificate.fingerprint(hashes.SHA256()).hex()}}
             for s in parsed.certificates]
    fields = _share_offer_fields(report, cards, "alice@example.com")
    assert set(fields) - {"csrfmiddlewaretoken"} == {"offer", "back"}  # back: the result page's own address, for the way back
    # A page that posted more than it should (a key, the password, the message) must not get it stored.
    fields.update({"certificates": private_key_pem(chain.leaf.key).decode() + PASSWORD + MESSAGE_BODY,
                   "email": MESSAGE_BODY})

    response = client.post("/share/", fields)

    assert response.status_code == 200
    share = SharedDiagnosis.objects.get()
    assert certificates_in_pem_text(share.certificates_pem) == [chain.leaf.der, chain.intermediate.der]
    assert share.email == "alice@example.com"
    stored = _every_stored_value()
    # The scan does see what was stored: the certificate is there in PEM form.
    assert any(base64.b64encode(chain.leaf.der)[70:120] in value for value in stored)
    for needle in _secret_needles(chain.leaf.key, pasted_key):
        assert not any(needle in value for value in stored), needle
    # And the response is not cached anywhere on the way.
    assert response["Cache-Control"] == "no-store"


def test_the_offer_says_exactly_what_will_be_stored_before_anyone_agrees() -> None:
    chain = make_chain(email="alice@example.com")
    report = diagnose([chain.supplied_pem], email="alice@example.com")
    cards = [{"name": "alice@example.com", "pem": chain.leaf.pem.decode(), "data": {"sha256": chain.leaf.sha256}}]
    html = _offer_html({"report": report.to_dict(), "certificates": cards, "email": "alice@example.com",
                        "csrf_token": "x"})
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "exactly this is stored" in text
    assert "One public certificate" in text and chain.leaf.sha256[:16] in text
    assert "The email address you entered: alice@example.com" in text
    assert "Nothing else. Not your private key, not your PKCS#12 password, not the message" in text
    assert html.index("exactly this is stored") < html.index('type="submit"')


def test_the_offer_is_left_out_when_no_certificate_can_be_shared() -> None:
    html = _offer_html({"report": {"certificates": []}, "certificates": []})
    assert html.strip() == ""


def test_creating_a_share_needs_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/share/", {"certificates": make_chain().leaf.pem.decode()})
    assert response.status_code == 403
    assert not SharedDiagnosis.objects.exists()


def test_creating_a_share_needs_a_post(client: Client) -> None:
    assert client.get("/share/").status_code == 405


def test_a_post_without_any_certificate_is_refused_plainly(client: Client) -> None:
    response = client.post("/share/", _offer())
    assert response.status_code == 400
    assert b"nothing to share" in response.content
    assert not SharedDiagnosis.objects.exists()


def test_free_text_posted_to_share_is_never_stored(client: Client) -> None:
    """Certificates, address and time posted as plain fields, without a signed offer, are refused."""
    chain = make_chain()
    response = client.post("/share/", {"certificates": chain.supplied_pem.decode(), "email": "mallory@example.com",
                                       "diagnosed_at": "2020-01-01T00:00:00Z"})
    assert response.status_code == 400
    assert "incomplete" in response.content.decode()
    assert not SharedDiagnosis.objects.exists()


def test_a_changed_offer_is_refused(client: Client) -> None:
    chain = make_chain()
    offer = _offer(chain.leaf.der, email="alice@example.com")["offer"]
    payload, _, signature = offer.rpartition(":")
    tampered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + ":" + signature
    response = client.post("/share/", {"offer": tampered})
    assert response.status_code == 400
    assert "did not come from a result page" in response.content.decode()
    assert not SharedDiagnosis.objects.exists()


def test_an_offer_older_than_a_day_is_refused(client: Client, monkeypatch) -> None:
    chain = make_chain()
    offer = _offer(chain.leaf.der)
    later = time.time() + 2 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post("/share/", offer)
    assert response.status_code == 400
    assert "more than a day old" in response.content.decode()


def test_the_creator_gets_the_link_and_a_delete_link_once(client: Client) -> None:
    chain = make_chain()
    response = client.post("/share/", _offer(chain.leaf.der, chain.intermediate.der, email="alice@example.com",
                                             at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)))
    share = SharedDiagnosis.objects.get()
    body = response.content.decode()
    assert f"http://testserver/share/{share.token}/" in body
    delete_url = re.search(r'id="delete-url"[^>]*>(http://testserver/share/[^<]+/delete/[^<]+/)</textarea>', body).group(1)
    assert share.diagnosed_at == dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)
    assert client.get(delete_url.replace("http://testserver", "")).status_code == 200


def test_opening_a_share_runs_the_check_again_and_shows_both_times(client: Client) -> None:
    chain = make_chain(email="alice@example.com")
    checked = timezone.now() - dt.timedelta(days=2)
    share, _ = create_share([chain.leaf.der, chain.intermediate.der], "alice@example.com", checked)
    response = client.get(f"/share/{share.token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert f"{checked:%-d %B %Y, %H:%M} UTC" in body
    assert "Checked again now" in body and f"{timezone.now():%-d %B %Y}" in body
    # The root is neither supplied nor in any trust store here, and the chain looks like an
    # organisation's own CA, so the fresh check asks for that root.
    assert "root is needed to finish the check" in body
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_an_expired_share_is_gone_and_deleted_when_someone_tries_it(client: Client) -> None:
    share, _ = create_share([make_chain().leaf.der], None, timezone.now())
    SharedDiagnosis.objects.filter(pk=share.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/share/{share.token}/").status_code == 404
    assert not SharedDiagnosis.objects.exists()


def test_an_unknown_token_is_a_404(client: Client) -> None:
    assert client.get("/share/" + "A" * 43 + "/").status_code == 404
    assert client.get("/share/short/").status_code == 404


def test_purge_shares_removes_only_expired_ones() -> None:
    keep, _ = create_share([make_chain().leaf.der], None, timezone.now())
    old, _ = create_share([make_chain().leaf.der], None, timezone.now())
    SharedDiagnosis.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    call_command("purge_shares")
    assert list(SharedDiagnosis.objects.values_list("pk", flat=True)) == [keep.pk]


def test_creating_shares_purges_expired_ones_at_most_once_an_interval(settings) -> None:
    settings.SHARE_PURGE_INTERVAL_MINUTES = 60
    first, _ = create_share([make_chain().leaf.der], None, timezone.now())   # purges now, marks the hour
    SharedDiagnosis.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    create_share([make_chain().leaf.der], None, timezone.now())               # within the hour: no purge
    assert SharedDiagnosis.objects.filter(pk=first.pk).exists()
    from django.core.cache import cache

    cache.clear()                                                             # the hour has passed
    assert purge_now_and_then() == 1
    assert not SharedDiagnosis.objects.filter(pk=first.pk).exists()


def test_the_delete_link_removes_the_share_after_confirmation(client: Client) -> None:
    share, delete_token = create_share([make_chain().leaf.der], None, timezone.now())
    url = f"/share/{share.token}/delete/{delete_token}/"
    assert client.get(url).status_code == 200 and SharedDiagnosis.objects.exists()
    assert client.post(url).status_code == 200
    assert not SharedDiagnosis.objects.exists()
    assert client.get(f"/share/{share.token}/").status_code == 404


def test_a_wrong_delete_token_deletes_nothing(client: Client) -> None:
    share, delete_token = create_share([make_chain().leaf.der], None, timezone.now())
    assert client.post(f"/share/{share.token}/delete/{share.token}/").status_code == 404
    assert SharedDiagnosis.objects.filter(pk=share.pk).exists()


def test_only_certificates_survive_from_posted_text() -> None:
    leaf = make_leaf(issuer=None)
    text = "junk\n" + leaf.pem.decode() + private_key_pem(leaf.key).decode() + leaf.pem.decode()
    assert certificates_in_pem_text(text) == [leaf.der]


def test_one_client_cannot_create_shares_without_end(client: Client) -> None:
    from smimecenter.organisation.sharing import SHARES_PER_CLIENT_PER_HOUR

    offer = _offer(make_chain().leaf.der)
    statuses = [client.post("/share/", offer).status_code
                for _ in range(SHARES_PER_CLIENT_PER_HOUR + 1)]
    assert statuses[:-1] == [200] * SHARES_PER_CLIENT_PER_HOUR
    assert statuses[-1] == 429
    assert SharedDiagnosis.objects.count() == SHARES_PER_CLIENT_PER_HOUR


def test_the_offer_works_with_the_diagnose_result_pages_own_context(client: Client) -> None:
    """The result page includes the offer as it is; its context must be enough to share the right certificates."""
    from smimecenter.tools.forms import DiagnosisRequest
    from smimecenter.tools.presentation import result_context
    from smimecenter.tools.running import run_diagnosis

    chain = make_chain(email="alice@example.com")
    request = DiagnosisRequest(inputs=[chain.supplied_pem + private_key_pem(chain.leaf.key)], email="alice@example.com")
    context = result_context(run_diagnosis(request))
    context.update({"email": "alice@example.com", "csrf_token": "x"})
    html = _offer_html(context)
    fields = _hidden_fields(html)
    assert "2 public certificates" in html
    assert "PRIVATE KEY" not in html
    client.post("/share/", fields)
    share = SharedDiagnosis.objects.get()
    assert certificates_in_pem_text(share.certificates_pem) == [chain.leaf.der, chain.intermediate.der]
    assert share.email == "alice@example.com"


def test_the_created_page_offers_copy_buttons_an_email_and_the_way_back(client: Client) -> None:
    back = "/tools/diagnose/result/" + "A" * 43 + "/"
    body = client.post("/share/", {**_offer(make_chain().leaf.der), "back": back}).content.decode()
    share = SharedDiagnosis.objects.get()
    assert 'data-copy-target="share-url" hidden' in body and 'data-copy-target="delete-url" hidden' in body
    mailto = re.search(r'href="(mailto:[^"]+)"', body).group(1)
    assert mailto.startswith("mailto:?subject=My%20S%2FMIME%20certificate%20check&amp;body=")
    assert f"share%2F{share.token}%2F" in mailto and "delete" not in mailto
    assert f'href="{back}"' in body and "Back to your result" in body


def test_the_way_back_leads_only_to_a_result_of_this_site(client: Client) -> None:
    for back in ("https://evil.example/", "//evil.example/tools/diagnose/result/" + "A" * 43 + "/", "javascript:alert(1)"):
        body = client.post("/share/", {**_offer(make_chain().leaf.der), "back": back}).content.decode()
        assert "Back to your result" not in body and "evil" not in body and "javascript:" not in body


def test_a_share_shows_the_full_result_worded_for_the_it_person(client: Client) -> None:
    """Issue 11 item 9: the same result body as the result page, for the person who opens the link."""
    chain = make_chain(email="alice@example.com")
    share, _ = create_share([chain.leaf.der, chain.intermediate.der], "bob@example.com", timezone.now())
    body = client.get(f"/share/{share.token}/").content.decode()
    for part in ('class="chain-picture"', 'class="timeline"', 'class="certificates"', 'id="compat-title"',
                 'data-state="does_not_work"', 'data-code="identity.email_mismatch"'):
        assert part in body, part
    assert "the address they entered" in body
    assert "you entered" not in body
    assert '<span class="cert-role">Their certificate:</span>' in body
    assert '<p class="chain-heading">Their certificate' in body
    assert "Your certificate at the top" not in body and 'cert-role">Your certificate' not in body
