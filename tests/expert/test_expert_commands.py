"""Expert pages speak to the person: their own file name and address in commands, copyable blocks, a jump to the result."""
from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from smimecenter.tools.templatetags.commands import shell_command
from tests.diagnostics.builders import make_chain

from .helpers import csr, csr_pem, p12_with

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def chain():
    return make_chain(policies=("2.23.140.1.5.1.3",))


def test_the_repackaging_commands_name_the_uploaded_file(client, chain):
    data = p12_with(key=chain.leaf.key, certificate=chain.leaf)
    page = client.post("/tools/pkcs12/", follow=True, data={"file": SimpleUploadedFile("Alice Work.p12", data),
                                          "password": "secret"}).content.decode()
    # Quoted for the shell ('Alice Work.p12'); the space between the two words may wrap.
    assert '&#x27;Alice</span> <span class="cmd-word">Work.p12&#x27;' in page
    assert "yours.p12" not in page
    assert 'class="secondary copy-button" data-copy-target="command-0-0"' in page
    assert 'id="command-0-0"' in page


def test_the_csr_advice_uses_the_address_typed(client):
    request = csr(emails=(), subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Alice")]))
    page = client.post("/tools/csr/", follow=True, data={"text": csr_pem(request).decode(), "email": "alice@acme.example"}).content.decode()
    assert "subjectAltName=email:alice@acme.example" in page
    assert "you@example.com" not in page


def test_the_csr_advice_keeps_the_example_when_no_address_was_typed(client):
    request = csr(emails=(), subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Alice")]))
    page = client.post("/tools/csr/", follow=True, data={"text": csr_pem(request).decode()}).content.decode()
    assert "subjectAltName=email:you@example.com" in page


@pytest.mark.parametrize("path", ["/tools/pkcs12/", "/tools/csr/", "/tools/compliance/"])
def test_each_form_jumps_to_its_result(client, path):
    assert f'action="{path}#result-title"' in client.get(path).content.decode()


def test_commands_wrap_between_words_and_keep_their_text():
    html = str(shell_command("openssl pkcs12 -certpbe PBE-SHA1-3DES\nrm <x>"))
    assert '<span class="cmd-word">-certpbe</span> <span class="cmd-word">PBE-SHA1-3DES</span>' in html
    assert html.count('<span class="cmd-line">') == 2
    assert "&lt;x&gt;" in html and "<x>" not in html


def test_a_very_long_word_may_break_rather_than_overflow():
    long_name = "a" * 80 + ".p12"
    assert f'<span class="cmd-word">{long_name}</span>' not in str(shell_command(f"openssl {long_name}"))


def test_the_copy_button_is_hidden_until_the_script_shows_it():
    html = render_to_string("expert/_command.html", {"id": "c1", "text": "ls", "label": "list"})
    assert "hidden>" in html and 'data-copy-target="c1"' in html
