"""The theme's indentation squeezed out of every page, the content left as it is."""

from __future__ import annotations

from study_guide.core.slim import slim_page


def test_white_space_outside_the_content_becomes_one_line_break() -> None:
    content = "<article>\n  <pre>  kept\n    as is</pre>\n</article>"
    page = f"<html>\n  <nav>\n\n    <a>Lesson 1</a>\n  </nav>\n{content}\n  <footer>\n  </footer>\n"
    assert slim_page(page) == f"<html>\n<nav>\n<a>Lesson 1</a>\n</nav>\n{content}\n<footer>\n</footer>\n"


def test_parts_where_white_space_counts_are_left_alone() -> None:
    page = "<body>\n  <pre>\n  a</pre>\n<article>x</article>\n  <script>let s = `a\n  b`</script>\n"
    assert slim_page(page) == page
    assert slim_page("<p>\n  no article\n</p>") == "<p>\n  no article\n</p>"
