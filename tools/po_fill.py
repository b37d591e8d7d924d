"""Fill msgstr entries of a .po file from a JSON object {msgid: msgstr}. Usage: po_fill.py FILE.po TRANSLATIONS.json

Entries already translated are left alone unless --force; fuzzy flags are cleared on the entries filled.
Prints the msgids still untranslated afterwards.
"""

import json
import sys

import polib


def main(argv: list[str]) -> int:
    force = "--force" in argv
    args = [a for a in argv if a != "--force"]
    po = polib.pofile(args[0])
    with open(args[1], encoding="utf-8") as fh:
        table = json.load(fh)
    for entry in po:
        if entry.msgid in table and (force or not entry.translated()):
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value if isinstance(value, str) else value[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    left = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
    print(json.dumps(left, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
