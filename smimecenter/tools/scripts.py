"""Mixed-script detection for addresses (Unicode Technical Standard #39, section 5.1).

`аlice@exаmple.com` with two Cyrillic "а" looks exactly like the Latin address; a person can only be told.
A string is mixed-script when its resolved script set is empty: the intersection, over its characters, of
each character's Script_Extensions, augmented so that Han goes with Japanese and Korean writing (UTS #39
5.1: Hani → Hanb, Jpan, Kore; Hira, Kana → Jpan; Hang → Kore; Bopo → Hanb), where Common and Inherited
characters (digits, "@", ".", combining marks without a script of their own) match every script.
Script_Extensions come from unicodedataplus, which tracks the Unicode Character Database.
"""
from __future__ import annotations

import functools

import unicodedataplus

_ANY = frozenset({"Zyyy", "Zinh"})  # Common and Inherited: compatible with every script
_AUGMENTED = {"Hani": {"Hanb", "Jpan", "Kore"}, "Hira": {"Jpan"}, "Kana": {"Jpan"}, "Hang": {"Kore"},
              "Bopo": {"Hanb"}}


@functools.lru_cache(maxsize=4096)
def _augmented_scripts(character: str) -> frozenset[str] | None:
    """The character's augmented Script_Extensions; None for Common/Inherited (compatible with all)."""
    extensions = set(unicodedataplus.script_extensions(character))
    if extensions <= _ANY:
        return None
    for script in list(extensions):
        extensions |= _AUGMENTED.get(script, set())
    return frozenset(extensions)


def is_mixed_script(text: str) -> bool:
    """True when no single script (with its augmentations) covers every letter of `text`."""
    if text.isascii():
        return False
    resolved: frozenset[str] | None = None
    for character in text:
        scripts = _augmented_scripts(character)
        if scripts is None:
            continue
        resolved = scripts if resolved is None else resolved & scripts
        if not resolved:
            return True
    return False


def scripts_in(text: str) -> list[str]:
    """The scripts of `text`'s letters, by name, in order of first appearance (for the warning's words)."""
    names: dict[str, None] = {}
    for character in text:
        script = unicodedataplus.script(character)  # the long name: "Latin", "Cyrillic", "Old_Italic"
        if script not in ("Common", "Inherited", "Unknown"):
            names[script.replace("_", " ")] = None
    return list(names)


def unicode_form(address: str) -> str:
    """The address with its punycode labels (xn--, RFC 3492) decoded: what a look-alike domain really reads."""
    if "xn--" not in address.lower():
        return address
    local, at, domain = address.rpartition("@")
    labels = []
    for label in domain.split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.lower().startswith("xn--") else label)
        except UnicodeError:  # not valid punycode: shown as it is
            labels.append(label)
    return local + at + ".".join(labels)
