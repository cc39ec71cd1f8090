"""What a template asks to translate (the msgids makemessages would find in it) and what our
Malayalam catalogue answers."""

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.template.loader import get_template
from django.utils.translation.template import templatize

from tests import ROOT_DIR

CATALOGUE = ROOT_DIR / "locale/ml/LC_MESSAGES/django.po"
_STRING = r"u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\""
# templatize writes each string as gettext(u'...'), pgettext(u'context', u'...'), ...
_CALL = re.compile(rf"\b(?P<name>n?p?gettext)\((?P<args>(?:\s*(?:{_STRING})\s*,?)+)")
_STRING = re.compile(_STRING)
_CALLS = {"gettext": (None, 0), "pgettext": (0, 1), "ngettext": (None, 0), "npgettext": (0, 1)}


def msgids_of_template(name: str) -> set[tuple[str, str]]:
    """(context, msgid) of every {% translate %} and {% blocktranslate %} in template `name`,
    through Django's own templatize, as makemessages reads them."""
    source = get_template(name).template.source
    code = templatize(source, origin=name)
    found = set()
    for call in _CALL.finditer(code):
        args = [ast.literal_eval(literal) for literal in _STRING.findall(call.group("args"))]
        context_at, msgid_at = _CALLS[call.group("name")]
        context = args[context_at] if context_at is not None else ""
        found.add((context, args[msgid_at]))
    return found


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


@cache
def malayalam_catalogue() -> dict[tuple[str, str], str]:
    """(context, msgid) -> msgstr (the first plural form for a plural entry)."""
    entries = {}
    for entry in CATALOGUE.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        current = None
        for line in entry.splitlines():
            match = re.match(
                r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d\])\s+(.*)$", line
            )
            if match:
                current = match.group(1).replace("[0]", "")
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" in fields:
            key = (_unquote(fields.get("msgctxt", ['""'])), _unquote(fields["msgid"]))
            entries[key] = _unquote(fields.get("msgstr", ['""']))
    return entries


def untranslated(msgids: set[tuple[str, str]]) -> list[tuple[str, str]]:
    catalogue = malayalam_catalogue()
    return sorted(key for key in msgids if not catalogue.get(key))


@dataclass(frozen=True)
class PoEntry:
    context: str
    msgid: str
    plural: str
    translations: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1], ...
    flags: frozenset[str]
    files: tuple[str, ...]  # the #: locations (--add-location=file)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.msgid, self.plural)


def po_entries(path: Path) -> list[PoEntry]:
    """The live entries of a .po file (not the header, not the obsolete #~ ones)."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        flags: set[str] = set()
        files: list[str] = []
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                files.extend(line[2:].split())
            match = re.match(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?)\s+(.*)$", line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        msgid = _unquote(fields.get("msgid", ['""']))
        if not msgid:
            continue  # the header, or a block of comments only
        found.append(
            PoEntry(
                context=_unquote(fields.get("msgctxt", ['""'])),
                msgid=msgid,
                plural=_unquote(fields.get("msgid_plural", ['""'])),
                translations=tuple(
                    _unquote(lines) for name, lines in fields.items() if name.startswith("msgstr")
                ),
                flags=frozenset(flags),
                files=tuple(files),
            )
        )
    return found
