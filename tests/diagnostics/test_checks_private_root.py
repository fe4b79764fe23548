"""A chain that stops at an absent issuer: a CA's missing intermediate, or the organisation's own root.

Each rule of `absent_issuer.decide` has a certificate set that it decides and one it must not.
"""
from __future__ import annotations

from cryptography import x509

from smimecenter.diagnostics import diagnose
from smimecenter.diagnostics.trust import email_trust_store

from .builders import make_chain, make_intermediate, make_leaf, make_root, name, pem, pkcs12_bytes
from .cms_builders import detached_email, signed_der

PRIVATE = "chain.private_root_not_supplied"
MISSING = "chain.missing_intermediate"


def acme_chain(**leaf_options):
    """The small business's own CA: root, mail CA without AIA (as `openssl ca` writes it), leaf."""
    return make_chain(
        root_options={"common_name": "Acme Widgets Root CA 2026", "organization": "Acme Widgets"},
        intermediate_options={"common_name": "Acme Widgets Mail CA", "organization": "Acme Widgets"},
        **leaf_options)


def finding(report, code):
    matches = [f for f in report.findings if f.code == code]
    assert matches, f"{code} not in {report.codes}"
    return matches[0]


def evidence_rules(found) -> list[str]:
    return [item["rule"] for item in found.details["evidence"]]


# --- a private chain with its intermediate, root absent ----------------------------------------

def test_a_private_intermediate_with_its_root_absent_asks_for_the_organisations_root():
    chain = acme_chain()
    report = diagnose([chain.supplied_pem])
    found = finding(report, PRIVATE)
    assert MISSING not in report.codes
    assert found.certificate == chain.intermediate.sha256
    assert found.details["judgement"] == "private_root"
    assert found.details["decided_by"] == "issuer_named_root"
    assert {"issuer_named_root", "issuer_unknown_to_public_store", "no_ca_issuers",
            "intermediate_supplied"} <= set(evidence_rules(found))
    # The why, in words: a name that says root, no download address, the intermediate is here.
    assert "calls it a root" in found.explanation and "no AIA caIssuers URL" in found.explanation
    assert "The intermediate you supplied, \u201cAcme Widgets Mail CA\u201d, is there" in found.explanation
    assert "Acme Widgets Root CA 2026" in found.fix
    assert "to the roots the check trusts and check again" in found.fix
    assert found.learn_more == "/guides/distribute-private-root/#add-your-root"


def test_nobody_is_told_to_add_the_intermediate_they_supplied():
    chain = acme_chain()
    report = diagnose([chain.supplied_pem])
    for item in report.findings:
        assert "An intermediate certificate is missing" not in item.title
        assert "Add the certificate of \u201cAcme Widgets Mail CA\u201d" not in item.fix
        assert "add the intermediate" not in item.fix.lower()


def test_the_evidence_is_in_the_json_form_and_survives_json():
    report = diagnose([acme_chain().supplied_pem])
    data = next(f for f in report.to_dict()["findings"] if f["code"] == PRIVATE)
    assert data["details"]["judgement"] == "private_root"
    assert all(set(item) == {"rule", "points_to", "words"} for item in data["details"]["evidence"])
    assert {item["points_to"] for item in data["details"]["evidence"]} <= {"private_root",
                                                                           "missing_intermediate"}


def test_a_finding_without_a_judgement_has_no_details():
    chain = acme_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem])
    assert all("details" not in f for f in report.to_dict()["findings"])


# --- a public-looking chain missing its intermediate --------------------------------------------

def test_a_certificate_with_a_public_download_address_is_missing_its_intermediate():
    chain = make_chain(aia_ca_issuers="http://crt.example-ca.com/issuing.crt")
    report = diagnose([pem(chain.leaf)])
    found = finding(report, MISSING)
    assert PRIVATE not in report.codes
    assert found.details["judgement"] == "missing_intermediate"
    assert found.details["decided_by"] == "issuer_named_intermediate"
    assert {"ca_issuers_public", "certificate_alone"} <= set(evidence_rules(found))
    assert "http://crt.example-ca.com/issuing.crt" in found.explanation
    assert "Add the certificate of \u201cExample S/MIME Issuing CA\u201d" in found.fix


def test_a_public_download_address_decides_when_the_name_says_nothing():
    root = make_root(common_name="Example Trust Services")
    inter = make_intermediate(issuer=root, common_name="Example Mail 2")
    leaf = make_leaf(issuer=inter, aia_ca_issuers="https://pki.example-ca.com/mail2.der")
    found = finding(diagnose([pem(leaf)]), MISSING)
    assert found.details["decided_by"] == "ca_issuers_public"


def test_an_issuer_of_a_public_ca_organisation_is_an_intermediate_even_after_an_intermediate():
    organisation = _first_public_organisation()
    root = make_root(common_name="Example Public Root", organization=organisation)
    upper = make_intermediate(issuer=root, common_name="Example Public Email CA", organization=organisation)
    lower = make_intermediate(issuer=upper, common_name="Example Public Email CA 2", organization=organisation)
    leaf = make_leaf(issuer=lower)
    report = diagnose([pem(leaf, lower)])
    found = finding(report, MISSING)
    assert found.details["decided_by"] == "issuer_of_public_ca"
    assert organisation in found.explanation and "Mozilla email roots" in found.explanation


def test_an_authority_key_identifier_of_a_public_root_marks_a_public_ca():
    anchor = next(a for a in email_trust_store() if _ski(a) is not None)
    root = make_root(common_name="Neutral Name")
    inter = make_intermediate(issuer=root, common_name="Neutral Mail", authority_key_id=False,
                              extra_extensions=[(x509.AuthorityKeyIdentifier(_ski(anchor), None, None), False)])
    leaf = make_leaf(issuer=inter)
    found = finding(diagnose([pem(leaf, inter)]), MISSING)
    assert found.details["decided_by"] == "issuer_of_public_ca"


def test_a_private_organisation_is_not_taken_for_a_public_ca():
    found = finding(diagnose([acme_chain().supplied_pem]), PRIVATE)
    assert "issuer_of_public_ca" not in evidence_rules(found)


# --- a leaf directly under an absent private root -----------------------------------------------

def test_a_leaf_straight_under_an_absent_root_without_a_download_address_asks_for_the_root():
    root = make_root(common_name="Acme CA", organization="Acme Widgets")
    leaf = make_leaf(issuer=root, aia_ca_issuers=None)
    report = diagnose([pem(leaf)])
    found = finding(report, PRIVATE)
    assert MISSING not in report.codes
    assert found.details["decided_by"] == "no_ca_issuers"
    assert "The intermediate you supplied" not in found.explanation


def test_a_leaf_under_an_absent_issuer_named_root_asks_for_the_root_despite_an_address():
    root = make_root(common_name="Acme Root CA", organization="Acme Widgets")
    leaf = make_leaf(issuer=root, aia_ca_issuers="http://pki.acme-widgets.example/root.crt")
    found = finding(diagnose([pem(leaf)]), PRIVATE)
    assert found.details["decided_by"] == "issuer_named_root"


def test_a_root_is_recognised_however_its_name_is_written():
    """Names as organisations write them: run together, in capitals, or in their own language."""
    for common_name in ("Contoso-RootCA", "CORPROOTCA", "Contoso GlobalRoot 2", "Acme Wurzel-CA", "AC Raíz Acme",
                        "AC RACINE ACME"):
        root = make_root(common_name=common_name, organization="Acme Widgets")
        leaf = make_leaf(issuer=root, aia_ca_issuers="http://pki.acme-widgets.example/root.crt")
        found = finding(diagnose([pem(leaf)]), PRIVATE)
        assert found.details["decided_by"] == "issuer_named_root", common_name


def test_a_word_that_only_contains_root_does_not_name_a_root():
    for common_name in ("Groot Trading CA", "Rooted Mail CA"):
        root = make_root(common_name=common_name, organization="Acme Widgets")
        leaf = make_leaf(issuer=root, aia_ca_issuers="http://pki.acme-widgets.example/ca.crt")
        report = diagnose([pem(leaf)])
        assert "issuer_named_root" not in evidence_rules(finding(report, MISSING)), common_name


def test_an_issuing_ca_is_recognised_however_its_name_is_written():
    root = make_root(common_name="Acme Root CA", organization="Acme Widgets")
    for common_name in ("Acme SubCA", "Acme Sub-CA 2", "AcmeIssuingCA01", "Acme Subordinate CA"):
        inter = make_intermediate(issuer=root, common_name=common_name, organization="Acme Widgets")
        leaf = make_leaf(issuer=inter, aia_ca_issuers=None)
        report = diagnose([pem(leaf)])
        assert finding(report, MISSING).details["decided_by"] == "issuer_named_intermediate", common_name
    inter = make_intermediate(issuer=root, common_name="Subway Mail CA", organization="Acme Widgets")
    report = diagnose([pem(make_leaf(issuer=inter, aia_ca_issuers=None))])
    assert "issuer_named_intermediate" not in evidence_rules(finding(report, PRIVATE))


def test_a_leaf_under_an_absent_issuing_ca_without_an_address_is_missing_its_intermediate():
    root = make_root(common_name="Acme Root CA", organization="Acme Widgets")
    inter = make_intermediate(issuer=root, common_name="Acme Issuing CA 3", organization="Acme Widgets")
    leaf = make_leaf(issuer=inter, aia_ca_issuers=None)
    report = diagnose([pem(leaf)])
    assert finding(report, MISSING).details["decided_by"] == "issuer_named_intermediate"
    assert PRIVATE not in report.codes


def test_an_intranet_or_directory_address_marks_an_organisations_own_ca():
    root = make_root(common_name="Acme CA", organization="Acme Widgets")
    for url in ("ldap:///CN=Acme%20CA,CN=AIA,CN=Public%20Key%20Services?cACertificate",
                "http://pki.acme.local/acme-ca.crt", "http://10.20.0.5/acme-ca.crt", "http://pki/acme-ca.crt"):
        leaf = make_leaf(issuer=root, aia_ca_issuers=url)
        found = finding(diagnose([pem(leaf)]), PRIVATE)
        assert found.details["decided_by"] == "ca_issuers_private", url
        assert url in found.explanation


def test_a_public_address_is_not_taken_for_an_intranet_one():
    root = make_root(common_name="Acme CA", organization="Acme Widgets")
    leaf = make_leaf(issuer=root, aia_ca_issuers="http://pki.acme-widgets.com/acme-ca.crt")
    found = finding(diagnose([pem(leaf)]), MISSING)
    assert found.details["decided_by"] == "ca_issuers_public"


# --- the root given as trust for this check ----------------------------------------------------

def test_with_the_root_given_as_trust_the_chain_is_trusted_and_nothing_is_missing():
    chain = acme_chain()
    report = diagnose([chain.supplied_pem], trust=[chain.root_pem])
    assert report.trust["trusted"] is True
    assert PRIVATE not in report.codes and MISSING not in report.codes
    assert report.status == "pass"


def test_with_another_root_given_the_fix_says_it_is_not_the_one():
    chain = acme_chain()
    other = make_root(common_name="Acme Old Root CA", organization="Acme Widgets")
    report = diagnose([chain.supplied_pem], trust=[pem(other)])
    found = finding(report, PRIVATE)
    assert "own_roots_did_not_issue" in evidence_rules(found)
    assert found.fix.startswith("The root given as your organisation's is not \u201cAcme Widgets Root CA 2026\u201d")
    assert "If your organisation does not run its own CA" not in found.fix


def test_without_roots_given_the_fix_is_conditional():
    found = finding(diagnose([acme_chain().supplied_pem]), PRIVATE)
    assert found.fix.startswith("If your organisation runs its own certificate authority")
    assert "own_roots_did_not_issue" not in evidence_rules(found)


def test_a_supplied_root_nobody_trusts_says_where_to_add_it():
    chain = acme_chain()
    report = diagnose([chain.supplied_pem + chain.root_pem])
    untrusted = finding(report, "chain.untrusted_root")
    assert PRIVATE not in report.codes and MISSING not in report.codes
    assert "check again with it added to the roots the check trusts," in untrusted.fix


def test_each_way_of_asking_names_its_own_place_to_add_a_root():
    """The caller says where its person adds a root: a form field, an option, a field of a request."""
    chain = acme_chain()
    where = "with --trust-file"
    untrusted = finding(diagnose([chain.supplied_pem + chain.root_pem], add_root_where=where),
                        "chain.untrusted_root")
    assert "check again with it added with --trust-file, and install it" in untrusted.fix
    private = finding(diagnose([chain.supplied_pem], add_root_where=where), PRIVATE)
    assert "Acme Widgets Root CA 2026\u201d, with --trust-file and check again" in private.fix
    other = make_root(common_name="Acme Old Root CA", organization="Acme Widgets")
    wrong = finding(diagnose([chain.supplied_pem], trust=[pem(other)], add_root_where=where), PRIVATE)
    assert "add that root with --trust-file instead, and check again" in wrong.fix
    message = detached_email(signed_der(chain.leaf, chain=[chain.intermediate]))
    sender = finding(diagnose([message], add_root_where=where), PRIVATE)
    assert "for its root, \u201cAcme Widgets Root CA 2026\u201d, and add it with --trust-file." in sender.fix
    for fix in (untrusted.fix, private.fix, wrong.fix, sender.fix):
        assert "the roots the check trusts" not in fix and "My organisation" not in fix


# --- the same advice for a .p12 and for a signed message ---------------------------------------

def test_a_p12_with_its_intermediate_gets_the_same_advice():
    chain = acme_chain()
    data = pkcs12_bytes(key=chain.leaf.key, certificate=chain.leaf, extra=[chain.intermediate])
    report = diagnose([data], password="secret")
    assert finding(report, PRIVATE).certificate == chain.intermediate.sha256
    assert MISSING not in report.codes


def test_a_signed_message_with_the_intermediate_gets_the_same_advice():
    chain = acme_chain()
    message = detached_email(signed_der(chain.leaf, chain=[chain.intermediate]))
    report = diagnose([message])
    assert finding(report, PRIVATE).certificate == chain.intermediate.sha256
    assert MISSING not in report.codes


def test_a_signed_message_with_the_leaf_alone_is_missing_its_intermediate():
    chain = acme_chain()
    report = diagnose([detached_email(signed_der(chain.leaf))])
    assert finding(report, MISSING).certificate == chain.leaf.sha256
    assert PRIVATE not in report.codes


# --- helpers -----------------------------------------------------------------------------------

def _ski(certificate: x509.Certificate) -> bytes | None:
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return None


def _first_public_organisation() -> str:
    from cryptography.x509.oid import NameOID
    for anchor in email_trust_store():
        values = anchor.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        if values:
            return str(values[0].value)
    raise AssertionError("the embedded store has no root with an organisation name")


def test_the_acme_names_are_really_absent_from_the_public_store():
    """The private-chain cases rely on it; a store update that added such a name would show here."""
    names = {anchor.subject for anchor in email_trust_store()}
    assert name("Acme Widgets Root CA 2026", organization="Acme Widgets") not in names


def test_the_root_names_of_mozillas_email_store_are_read_as_roots():
    """Real names, as CAs write them: run together ("RootCA1", "GlobalRoot"), in capitals, in Spanish."""
    from cryptography.x509.oid import NameOID

    from smimecenter.diagnostics.absent_issuer import _names_a_root, _names_an_intermediate

    names = {attribute.value for root in email_trust_store()
             for attribute in root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)}
    for written_together in ("ACCVRAIZ1", "T-TeleSec GlobalRoot Class 2", "Security Communication RootCA3",
                             "Atos TrustedRoot 2011", "Hellenic Academic and Research Institutions RootCA 2015"):
        assert written_together in names and _names_a_root(written_together), written_together
    spelled_root = [name for name in names if "root" in name.lower().split()]
    assert spelled_root and all(_names_a_root(name) for name in spelled_root)
    assert not [name for name in names if _names_an_intermediate(name)]  # none of the roots calls itself one
