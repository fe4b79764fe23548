from __future__ import annotations

from smimecenter.diagnostics.checks.csr import CSR_RULES
from smimecenter.diagnostics.checks.pkcs12_protection import (
    CHAIN_INCOMPLETE,
    KEY_NOT_ENCRYPTED,
    LEGACY_ENCRYPTION,
    MODERN_ENCRYPTION,
    WEAK_KEY_ENCRYPTION,
)
from smimecenter.diagnostics.compliance.intermediates import INTERMEDIATE_RULES
from smimecenter.diagnostics.compliance.mapping import EXPLAINED
from tests.diagnostics.test_report import ARTICLE_SECTIONS


def test_every_expert_rule_links_to_an_existing_article_section():
    rules = [*CSR_RULES.values(), *INTERMEDIATE_RULES, CHAIN_INCOMPLETE, KEY_NOT_ENCRYPTED, LEGACY_ENCRYPTION,
             MODERN_ENCRYPTION, WEAK_KEY_ENCRYPTION]
    for declared in rules:
        assert declared.learn_more in ARTICLE_SECTIONS, (declared.code, declared.learn_more)
    for code, explained in EXPLAINED.items():
        assert explained.learn_more in ARTICLE_SECTIONS, (code, explained.learn_more)
        assert explained.section and explained.title and explained.fix, code
