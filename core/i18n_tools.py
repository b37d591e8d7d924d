"""Translation catalogues: one per app (``<app>/locale``) and one at the root for the project's templates.

Per-app catalogues let several people add strings to different apps without fighting over one file. An app of the
project (``core.project.apps_list``) keeps its own catalogue when it has a ``locale/`` folder; the others (core, org)
share the root one with config/ and templates/.
``update_catalogues`` extracts (needs GNU gettext); ``compile_translations`` compiles with polib (pure Python), so
a fresh machine without gettext still gets its .mo files.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from core.project import app_modules

LOCALE = "zh_Hans"
IGNORED = [".venv", "venv", "static", "staticfiles", "media", "bench", "node_modules", ".git", "*/tests/*"]


def catalogue_apps() -> list[str]:
    """The apps with a catalogue of their own (a ``locale/`` folder in the app)."""
    base = Path(settings.BASE_DIR)
    return [app for app in app_modules() if (base / app / "locale").is_dir()]


def catalogue_roots() -> list[tuple[Path, list[str]]]:
    """(folder to extract from, patterns to ignore) — the root covers config/, core/, org/ and templates/."""
    base = Path(settings.BASE_DIR)
    apps = catalogue_apps()
    roots = [(base, IGNORED + [f"{app}/*" for app in apps] + apps)]
    roots += [(base / app, IGNORED) for app in apps]
    return roots


def po_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted(
        p for p in [base / "locale" / LOCALE / "LC_MESSAGES" / "django.po"]
        + [base / app / "locale" / LOCALE / "LC_MESSAGES" / "django.po" for app in catalogue_apps()]
        if p.exists()
    )


@contextmanager
def chdir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def compile_all() -> list[Path]:
    import polib

    written = []
    for po_path in po_files():
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        po.save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
