"""The concepts page: every ``[[concept]]`` (a wikilink to no lesson) with the questions, answers and bullets that link to it.

The backlinks a learner revises one idea with across lessons, generated as the tags page is.
"""

from __future__ import annotations

import posixpath

from .obsidian import Vault, concept_anchor
from .render import escape_markdown
from .tags import excerpt


def render_concepts_page(vault: Vault, page_uri: str) -> str:
    """Markdown of the concepts page at *page_uri*, with links relative to it; concepts in alphabetical order."""
    lines = [
        # Out of the site search: every entry repeats a question or bullet that search finds on its own page.
        "---",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# Concepts",
        "",
        "Every `[[concept]]` that notes link to without a lesson of that name, with each question, answer and summary"
        " point that mentions it.",
    ]
    base = posixpath.dirname(page_uri) or "."
    for _, (name, mentions) in sorted(vault.concepts.items()):
        lines += ["", f"## {escape_markdown(name)} {{ #{concept_anchor(name)} }}", ""]
        for mention in mentions:
            target = posixpath.relpath(mention.lesson_uri, base) + (f"#{mention.anchor}" if mention.anchor else "")
            shown = excerpt(mention.excerpt)
            title = escape_markdown(mention.lesson_title)
            lines.append(f"- [{title}, {mention.label}](<{target}>)" + (f": {shown}" if shown else ""))
    return "\n".join(lines) + "\n"
