"""The Jinja2 environment of the result page, the page every check ends on.

A check's result is rendered once per check, never from a cache, and it is the largest page we
render on demand (findings, chain, certificate cards, mail-app table): Django's template language
spent about 4 ms of CPU on it, Jinja2, which compiles templates to Python, about a quarter of that.
Every other page stays in Django templates; the filters here are the same functions the Django
filters of `certificate_text` use, so a certificate field reads the same on every page.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from jinja2 import ChainableUndefined, Environment
from markupsafe import Markup

from smimecenter.organisation.templatetags.organisation_lists import back_to_reading_list
from smimecenter.organisation.templatetags.organisation_sharing import share_offer, shareable_certificates
from smimecenter.tools.templatetags.certificate_text import address
from smimecenter.tools.text import friendly_name, group_hex, printable, usage_words


class KeysFirst(Environment):
    """`card.data.emails` looks the key up before the attribute, as Django templates do. The values here are
    plain dicts (the report's JSON shape), so a key named like a dict method (`keys`) reads as the key, and
    no lookup pays for a failed attribute first."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(**options: Any) -> Environment:
    # A missing key reads as nothing, as it does in Django templates, even when something is looked up
    # on it (`report.online.fetched` of a report without online checks), and with DEBUG on too (Django
    # would choose DebugUndefined, which prints the expression).
    options["undefined"] = ChainableUndefined
    env = KeysFirst(**options)
    env.filters.update({
        "printable": printable, "fingerprint": group_hex, "friendly_name": friendly_name,
        "usage_words": usage_words, "address": address,
        # Django's own, for the same words and dates as elsewhere (TIME_ZONE is UTC: no conversion).
        "date": defaultfilters.date, "pluralize": defaultfilters.pluralize,
        "truncatechars": defaultfilters.truncatechars, "slugify": defaultfilters.slugify,
    })
    env.globals.update({"static": static, "shareable_certificates": shareable_certificates,
                        "share_offer": share_offer, "back_to_reading_list": _back_to_reading_list,
                        "shared_fragment": SharedFragments(env)})
    return env


class SharedFragments:
    """`shared_fragment(name, **values)`: a partial that many results show alike, rendered once per distinct
    values and kept (the most recent `MOST_KEPT`).

    Only for what is not the person's own: a certificate authority's card (the engine remembers CA
    certificates between checks anyway) and the mail-app table (answers about mail apps). The values are
    the whole key, so a card whose words change (days left, a finding) is rendered anew. With DEBUG on
    nothing is kept, so an edited template shows at once.
    """

    MOST_KEPT = 256

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._kept: OrderedDict[tuple[str, str], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, name: str, **values: Any) -> Markup:
        if settings.DEBUG:
            return Markup(self._env.get_template(name).render(values))
        key = (name, json.dumps(values, sort_keys=True, default=str))
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
                return html
        html = Markup(self._env.get_template(name).render(values))
        with self._lock:
            self._kept[key] = html
            while len(self._kept) > self.MOST_KEPT:
                self._kept.popitem(last=False)
        return html


def _back_to_reading_list(slug: object) -> SafeString:
    """The link back to the reading list the person came from, as on every other page that has one."""
    if not slug:
        return SafeString("")
    return mark_safe(render_to_string("organisation/back_to_list.html", back_to_reading_list(slug)))
