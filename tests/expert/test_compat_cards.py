"""The mail-app table: answers in the open, each source behind a "Sources" toggle per app."""
from __future__ import annotations

import re

import pytest

from tests.diagnostics.builders import make_chain, pem

pytestmark = pytest.mark.django_db


def test_each_app_shows_its_answers_first_and_its_sources_on_request(client):
    chain = make_chain(policies=("2.23.140.1.5.1.3",))
    page = client.post("/tools/compliance/", follow=True, data={"text": pem(chain.leaf, chain.intermediate).decode()}).content.decode()
    rows = re.findall(r'<tr>\s*<th scope="row">.*?</tr>', page, re.S)
    assert rows
    for row in rows:
        answers, rest = row.split('<td class="x-notes-cell">')
        assert answers.count('class="x-answer" data-label=') == 3
        before_toggle, sources = rest.split('<details class="technical x-sources">')
        assert 'class="x-source"' not in before_toggle and 'class="x-source"' in sources
