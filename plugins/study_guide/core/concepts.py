"""The concepts page: every ``[[concept]]`` (a wikilink to no lesson) with the questions, answers and bullets that link to it.

The backlinks a learner revises one idea with across lessons, generated as the tags page is. A big
course mentions concepts thousands of times: given a stash, each concept's list is our element (links
to the pages' addresses, text escaped), put back after Markdown, instead of thousands of Markdown
links for Markdown to parse and the generator to rewrite.
"""

from __future__ import annotations

import posixpath

from .markers import Stash
from .obsidian import Mention, Vault, concept_anchor, html_text
from .render import escape_markdown
from .tags import place_item, plain_excerpt


def render_concepts_page(vault: Vault, page_uri: str, stash: Stash | None = None) -> str:
    """Markdown of the concepts page at *page_uri*, with links relative to it; concepts in alphabetical order.

    With *stash*, each concept's list waits in it as HTML (the page's HTML gets it back with ``stash.restore``).
    """
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
        if stash is not None:
            items = "".join(_item(vault, mention, page_uri) for mention in mentions)
            lines.append(stash.put(f"<ul>{items}</ul>"))
            continue
        lines += [place_item(mention, base) for mention in mentions]
    return "\n".join(lines) + "\n"


def _item(vault: Vault, mention: Mention, page_uri: str) -> str:
    href = html_text(vault.href(mention.lesson_uri, mention.anchor, page_uri))
    shown = plain_excerpt(mention.excerpt)
    after = f": {html_text(shown)}" if shown else ""
    return f'<li><a href="{href}">{html_text(mention.lesson_title)}, {html_text(mention.label)}</a>{after}</li>'
