"""Reading a page the way a person does: which form, which box, what stands next to it."""

from __future__ import annotations

import re


def form_of(page: str, action: str) -> str:
    """The HTML of the <form> that posts to ``action`` (forms are never nested)."""
    at = page.index(f'action="{action}"')
    start = page.rindex("<form", 0, at)
    return page[start:page.index("</form>", at)]


def box(html: str, name: str) -> str:
    """The <input>, <select> or <textarea> tag named ``name`` (the opening tag for select and textarea)."""
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    assert match, f"no box named {name}"
    return match.group(0)


def crispy_field(html: str, name: str) -> str:
    """A crispy-rendered field: its wrapper from the label to the next field, with the box and its error."""
    start = html.index(f'id="div_id_{name}"')
    following = html.find('id="div_id_', start + 1)
    return html[start:following if following != -1 else len(html)]


def is_invalid(tag: str) -> bool:
    return bool(re.search(r'class="[^"]*\bis-invalid\b', tag))
