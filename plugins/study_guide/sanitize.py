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

import nh3

__all__ = ["sanitize_html"]

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
    return _CLEANER.clean(fragment)
