"""What a note may put on a page: the HTML that Markdown writes and that learners legitimately use.

Notes are copied from forums, classmates and web pages, and the site is opened again and again,
from ``file://`` too: nothing a note smuggles in may run. :func:`sanitize_html` is the one policy,
applied to any HTML fragment (a lesson page before our own markup is added, the tags page, a
broken note's page; later an Anki export and a cards file), with nh3 (the Ammonia sanitiser):

- removed: ``<script>``, ``<style>`` and ``<template>`` with their content; ``<iframe>``,
  ``<object>``, ``<embed>``, ``<form>``, ``<base>``, SVG and MathML and every element not listed
  below (their text stays, as text); event-handler attributes (``on…``), ``style`` except colours
  and alignment, ``data-`` attributes, and links or sources that are not ``http``, ``https``,
  ``mailto``, ``tel`` or relative (``javascript:``, ``data:``, ``vbscript:``, ...); comments;
- kept: the HTML that Markdown and its usual extensions write (paragraphs, lists, headings with
  their ids and permalinks, tables, code with its highlighting spans, admonitions, details,
  tabs, task lists, footnotes, abbreviations, definition lists, keys, maths as
  ``pymdownx.arithmatex`` writes it with ``generic: true``), and what learners write by hand:
  ``details``/``summary``, ``span``/``div`` with classes, ``style="color: …"`` on spans and
  paragraphs, ``img`` with ``src``/``alt``/``width``/``height``, ``br``, ``sub``/``sup``, ``kbd``.

Classes and ids starting with ``sg-`` are the project's own: a note cannot claim them, so the
front-end never mistakes a note's element for one of ours.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import nh3

if TYPE_CHECKING:
    from .model import Lesson

__all__ = ["SWALLOWING", "meta_for_templates", "sanitize_html"]

_BLOCKS = {"p", "div", "blockquote", "pre", "hr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption"}
_LISTS = {"ul", "ol", "li", "dl", "dt", "dd"}
_TABLES = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
}  # fmt: skip
# details/summary: collapsible notes (pymdownx.details too); input and label: task lists and tabs.
_WIDGETS = {"details", "summary", "input", "label"}
TAGS = frozenset(_BLOCKS | _LISTS | _TABLES | _INLINE | _WIDGETS)
"""Elements a note may contribute to a page."""

# Removed with everything inside them: code, styles, and markup that is never text to a reader.
_DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object", "embed", "noembed", "noframes", "xmp"}
# Ammonia also drops these MathML and SVG elements with their content (found by trying each name).
_FOREIGN_DROPPED_WITH_CONTENT = """
    maction maligngroup malignmark menclose merror mfenced mfrac mglyph mi mlabeledtr mlongdiv mmultiscripts mn mo mover
    mpadded mphantom mroot mrow ms mscarries mscarry msgroup msline mspace msqrt msrow mstack mstyle msub msup msubsup mtable
    mtd mtext mtr munder munderover semantics annotation annotation-xml mprescripts none animate circle defs desc ellipse
    filter g line marker mask metadata mpath path pattern polygon polyline rect set stop switch symbol text tspan use view
""".split()
SWALLOWING = frozenset(
    [*_DROPPED_WITH_CONTENT, *_FOREIGN_DROPPED_WITH_CONTENT, "textarea", "title", "plaintext", "svg", "math", "table", "select"]
)
"""Elements that, left open, take the rest of a fragment with them: raw text up to their end tag (a
script, a textarea), foreign content (SVG, MathML), a table or a select (loose text in them is dropped),
or the sanitiser removing them with all they hold. ``guards.contain_html`` shows such an element as
text when a note never closes it, so that the words after it stay on the page."""

_ATTRIBUTES: dict[str, set[str]] = {
    # class: highlighting, admonitions, arithmatex, learners' own; id: headings, footnotes, tabs.
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "abbr": {"title"},
    "details": {"open"},
    "div": {"data-tabs"},  # Material's tabs read it
    "label": {"for"},
    "input": {"checked", "disabled", "name"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "span": {"style"},
    "p": {"style"},
}
# Tabs are radio buttons and task lists checkboxes; no other input, so no form control to phish with.
_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox", "radio"}}}
_STYLE_PROPERTIES = {"color", "background-color", "text-align"}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_OURS = "sg-"


def _not_ours(element: str, attribute: str, value: str) -> str | None:
    """Keep classes and ids that the note may have; ``sg-`` ones are the page's own."""
    if attribute == "class" and _OURS in value:
        kept = " ".join(name for name in value.split() if not name.startswith(_OURS))
        return kept or None
    if attribute == "id" and value.startswith(_OURS):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    attribute_filter=_not_ours,
    tag_attribute_values=_ATTRIBUTE_VALUES,
    url_schemes=_URL_SCHEMES,
    filter_style_properties=_STYLE_PROPERTIES,
    link_rel=None,  # no target="_blank" is kept, so rel="noopener" would only add bytes
    strip_comments=True,
)


def sanitize_html(fragment: str) -> str:
    """*fragment* with everything removed that could run, load from elsewhere, or pass for our markup.

    Any HTML fragment: a page's content, a question, an answer. Unclosed elements are closed,
    so a fragment cannot swallow what follows it; text is kept, escaped.
    """
    if _CLEANER_CHANGES.search(fragment) is None:
        return fragment  # no markup and nothing the cleaner rewrites: the same text, without a call into nh3
    return _CLEANER.clean(fragment)


# What the cleaner may change in a fragment: markup and references, the characters it writes as
# references (">", no-break spaces), and what HTML parsing itself drops or normalises (carriage
# returns, NUL, a leading byte-order mark). Text without any of them comes back unchanged.
_CLEANER_CHANGES = re.compile("[<>&\r\0\xa0\ufeff]")


def meta_for_templates(lesson: Lesson) -> dict[str, Any]:
    """The note's frontmatter as a page's templates get it: every text escaped, title and tags as the lesson reads them.

    MkDocs' templates show frontmatter values (``title``, ``description``, Material's
    ``subtitle`` and ``status``) as HTML, without escaping: a note's frontmatter is text.
    """
    meta = {**lesson.meta, "title": lesson.title, "tags": list(lesson.tags)}
    if not lesson.tags:
        del meta["tags"]
    return _escaped(meta)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value
