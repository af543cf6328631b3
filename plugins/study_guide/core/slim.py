"""The theme's markup around a page's content, without the indentation its templates leave.

Material's templates are indented for their authors: every page of the site carries about 12 KB of
spaces and blank lines in its header, navigation and footer (a sixth of a lesson page). Outside
``<pre>`` and ``<textarea>`` a browser reads any run of white space as one space, so a run that holds
a line break becomes that line break alone: the page looks and behaves the same. The content itself
(between ``<article`` and ``</article>``, our markup and the learner's) is left exactly as it is.
"""

from __future__ import annotations

import re

# From a line break over the white space after it (blank lines too): a regex that starts only at line breaks.
_BLANK = re.compile(r"\n\s+")
# Where white space means something: preformatted text, form fields, and script template literals.
_KEEPS_SPACE = ("<pre", "<textarea", "`")


def slim_page(html: str) -> str:
    """*html* (a whole page) with the white space around its lines squeezed, outside its ``<article>``."""
    start = html.find("<article")
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return html
    return _squeezed(html[:start]) + html[start:end] + _squeezed(html[end:])


def _squeezed(part: str) -> str:
    if any(token in part for token in _KEEPS_SPACE):
        return part
    return _BLANK.sub("\n", part)
