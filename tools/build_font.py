#!/usr/bin/env python3
"""Build the bundled Simplified Chinese font for printed documents (reproducible).

Takes the SC face of Debian's Noto Sans CJK collection (package fonts-noto-cjk) whole: every codepoint its cmap maps
(GB 18030 coverage — the rare name characters 喆 堃 赟 珺 玥 祎 旻 垚 璟 …, Latin, Cyrillic, Greek, the math signs such
as "−", the CJK symbols and full-width forms) with the layout features that select Simplified Chinese glyph forms.
The result is two WOFF2 files (brotli-compressed CFF outlines, read by WeasyPrint through fonttools), in
``static/fonts/``, with the SIL Open Font License next to them.

    .venv/bin/python tools/build_font.py            # rebuild both weights
    .venv/bin/python tools/build_font.py --check    # exit 1 when the committed files differ from a rebuild, or a
                                                    # codepoint of the SC face is missing from them

WeasyPrint loads these through @font-face by absolute path (core/documents.py), never through fontconfig, so a PDF
looks the same on every machine and never picks the Japanese or Traditional glyph forms.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "fonts"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
FAMILY = "NotoSansSC"
SC_FAMILY_NAME = "Noto Sans CJK SC"  # the face inside the collection we want (not JP/KR/TC/HK)
LICENCE_SOURCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")

EXTENSION = "woff2"


def sc_codepoints(font) -> list[int]:
    """Every codepoint the SC face maps (its best cmap): what we ship, so nothing falls back to another font."""
    return sorted(font.getBestCmap())


def sc_face(collection_path: Path):
    collection = TTCollection(str(collection_path))
    for font in collection.fonts:
        if font["name"].getDebugName(1) == SC_FAMILY_NAME:
            return font
    raise SystemExit(f"No “{SC_FAMILY_NAME}” face in {collection_path}")


def build_one(weight: str, target: Path) -> None:
    font = sc_face(SOURCES[weight])
    options = subset.Options()
    options.layout_features = ["*"]  # keep 'locl', 'vert', kerning; cheap next to the glyphs
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False  # CFF hints are not needed for print and cost space
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sc_codepoints(font))
    subsetter.subset(font)
    # Rename so nothing confuses it with a full system Noto: family "NotoSansSC".
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
        elif record.nameID == 6:
            record.string = f"{FAMILY}-{weight}"
        elif record.nameID in (2, 17):
            record.string = weight
    font["head"].modified = font["head"].created  # reproducible: no build timestamp…
    font.recalcTimestamp = False  # …and fontTools must not stamp the time of saving either
    font.flavor = EXTENSION  # brotli-compressed (the brotli package, in requirements.txt)
    font.save(str(target), reorderTables=True)


def write_licence(target: Path) -> None:
    text = LICENCE_SOURCE.read_text(encoding="utf-8")
    start = text.index("License: SIL-1.1\n -")
    body = text[start:].split("\n", 1)[1]
    lines = []
    for line in body.splitlines():
        if line and not line.startswith(" "):
            break
        line = line[1:] if line.startswith(" ") else line
        lines.append("" if line == "." else line)
    header = (
        "Noto Sans CJK SC (its whole Simplified Chinese face), as NotoSansSC by tools/build_font.py (aftersales).\n"
        "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n"
        "Noto is a trademark of Google Inc.\n"
        "Source: https://github.com/googlefonts/noto-cjk (Debian package fonts-noto-cjk).\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n\n"
    )
    target.write_text(header + "\n".join(lines).strip() + "\n", encoding="utf-8")


def missing_codepoints(weight: str, target: Path) -> list[int]:
    """Codepoints the source SC face maps that the shipped file does not (empty when the file is complete)."""
    wanted = set(sc_codepoints(sc_face(SOURCES[weight])))
    shipped = set(TTFont(str(target))["cmap"].getBestCmap()) if target.exists() else set()
    return sorted(wanted - shipped)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the committed files")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    status = 0
    for weight in SOURCES:
        target = OUT / f"{FAMILY}-{weight}.{EXTENSION}"
        if args.check:
            missing = missing_codepoints(weight, target)
            if missing:
                print(f"{target.name}: {len(missing)} codepoints of the SC face missing, e.g. "
                      + " ".join(f"U+{cp:04X}" for cp in missing[:10]))
                status = 1
            fresh = OUT / f".{FAMILY}-{weight}.check.{EXTENSION}"
            build_one(weight, fresh)
            same = target.exists() and hashlib.sha256(fresh.read_bytes()).digest() == hashlib.sha256(
                target.read_bytes()
            ).digest()
            fresh.unlink()
            print(f"{target.name}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            build_one(weight, target)
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1e6:.2f} MB")
    if not args.check:
        write_licence(OUT / "OFL.txt")
    return status


if __name__ == "__main__":
    sys.exit(main())
