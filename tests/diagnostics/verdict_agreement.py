"""Where a result would contradict its own verdict: the checks the agreement tests run on every case.

`contradictions(report_dict)` reads the report's JSON form and what the result page makes of it
(tools/presentation.py) and lists every part that says more, or other, than the verdict. An empty
list is the only good answer.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from smimecenter.diagnostics.verdict import HEADLINES, QUESTIONS, STATES
from smimecenter.tools.presentation import present

STATUS_OF_STATE = {"works": "pass", "works_with_warnings": "warn", "does_not_work": "fail"}
NOT_CHECKED_WORDS = ("No certificate was found", "holds no private key", "Cannot sign", "Cannot encrypt",
                     "will not work")


def contradictions(data: Mapping) -> list[str]:
    verdict = data["verdict"]
    found: list[str] = []
    say = found.append
    state, question = verdict["state"], verdict["question"]
    if state not in STATES or question not in QUESTIONS or verdict["headline_key"] not in HEADLINES:
        return [f"unknown verdict {verdict!r}"]
    if data["question"] != question:
        say("the top-level question differs from the verdict's")
    page = present(data, {})
    badges = page["capability_badges"]
    rows = (data.get("compatibility") or {}).get("clients", [])
    groups = page["finding_groups"]
    shown = [f for group in groups for f in group["findings"]]
    codes = [f["code"] for f in data["findings"]]

    # The state and the engine's traffic light say the same.
    # (An administrator's chain "works" although the engine warns that no person's certificate was given.)
    admin_only_warning = question == "ca_chain" and {f["code"] for f in data["findings"]
                                                     if f["severity"] == "warning"} == {"input.only_ca_certificates"}
    if state in STATUS_OF_STATE and data["status"] != STATUS_OF_STATE[state] and not admin_only_warning:
        say(f"state {state} under status {data['status']}")
    if state == "could_not_check" and data["chain"]:
        say("could not check, yet a chain was built")
    # The first thing shown is the verdict's first reason (what to do first).
    if state != "works" and verdict["reasons"] and shown and shown[0]["code"] != verdict["reasons"][0]["code"]:
        say(f"the first finding shown is {shown[0]['code']}, the verdict's first reason "
            f"{verdict['reasons'][0]['code']}")
    if state != "works" and not verdict["reasons"]:
        say("a verdict short of 'works' without a reason")

    # Badges: never a green "can" under a failing verdict; nothing at all when nothing was checked.
    if state in ("does_not_work", "could_not_check"):
        for badge in badges:
            if badge["name"] in ("sign", "encrypt") and badge["state"] == "yes":
                say(f"badge '{badge['words']}' under {state}")
    if state == "could_not_check":
        if badges:
            say("badges shown although nothing was checked")
        reason_codes = {r["code"] for r in verdict["reasons"]}
        for finding in shown:
            if finding["code"] in ("input.no_certificate", "pkcs12.no_private_key") and reason_codes - {finding["code"]}:
                say(f"'{finding['title']}' shown beside the true reason")
        for words in NOT_CHECKED_WORDS if verdict["headline_key"] != "could_not_check.nothing_readable" \
                else NOT_CHECKED_WORDS[1:]:
            if words in page["verdict"]["sentence"] or words in page["verdict"]["headline"]:
                say(f"'{words}' in the verdict although nothing was checked")
    # The sentence under the headline never claims trust the verdict denies.
    if state in ("does_not_work", "could_not_check") and re.search(r"\bis trusted (for email )?by\b",
                                                                    page["verdict"]["sentence"]):
        say(f"the sentence says trusted under {state}: {page['verdict']['sentence']}")
    if state == "works":
        if any(f["severity"] == "error" for f in data["findings"]):
            say("works, with an error finding")
        for badge in badges:
            if badge["state"] in ("no", "later") and badge["name"] in ("sign", "encrypt") \
                    and data["capabilities"].get(badge["name"]):
                say(f"badge '{badge['words']}' under a working verdict")

    # The mail-app table says no more than the verdict, and every short answer carries its reason.
    for row in rows:
        if state in ("does_not_work", "could_not_check"):
            for column in ("sign", "encrypt"):
                if row[column] == "yes":
                    say(f"{row['name']}: {column} yes under {state}")
        if state in ("works", "works_with_warnings"):
            for column in ("sign", "encrypt"):
                if row[column] != "yes" and not (row["blockers"] or row["notes"]):
                    say(f"{row['name']}: {column} {row[column]} without a reason under {state}")
            if row["trusted"] != "yes" and not row.get("trusted_reason"):
                say(f"{row['name']}: trusted {row['trusted']} without a reason under {state}")
    if rows and data["compatibility"].get("verdict_state") != state:
        say("the mail-app table was not made to agree with this verdict")

    # A recipient's question is about the sender and the message, never "your certificate".
    if question == "received_message":
        for card in page["certificates"]:
            if card["heading"] == "Your certificate":
                say("a received message's signer is called 'Your certificate'")
        if "will not work for S/MIME" in page["verdict"]["sentence"]:
            say("a received message is answered from the sender's side")
        for box in page["chain_boxes"]:
            if box.heading == "Your certificate":
                say("the chain calls the sender's certificate 'Your certificate'")
    # A changed message is about the message: no box or card is red for it, only for its own problems.
    if question == "received_message":
        blamed = {f"certificate-{(f.get('certificate') or '')[:16]}" for f in data["findings"]
                  if not f["code"].startswith("message.") and f["severity"] in ("error", "warning")}
        for box in page["chain_boxes"]:
            if box.state in ("err", "warn") and box.link and box.link not in blamed:
                say(f"the box of {box.name} is marked for a problem of the message")
        for card in page["certificates"]:
            if card["state"] in ("err", "warn") and card["id"] not in blamed:
                say(f"the card of {card['name']} is marked for a problem of the message")

    # What was not checked is said (issue 11 item 8).
    if state in ("works", "works_with_warnings"):
        if not data["online"].get("enabled") and not any("Revocation" in w for w in verdict["not_checked"]):
            say("revocation was not checked and the verdict does not say so")
        if verdict["trust_scope"] == "installed_root" and not any("installed" in w for w in verdict["not_checked"]):
            say("a root given for this check reads as an all-clear")
        if verdict["trust_scope"] == "installed_root" and verdict["headline_key"] in ("own.works", "ca.trusted",
                                                                                     "message.genuine"):
            say("a plain 'Trusted' headline for a root given for this check")
    if "input.private_key_present" in codes and verdict["reasons"] and \
            verdict["reasons"][0]["code"] != "input.private_key_present":
        say("a pasted private key is not the first reason")
    return found
