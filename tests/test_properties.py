"""Properties over generated notes: the parser never raises, and no word is ever lost.

CI runs a few hundred examples per property; ``make fuzz`` runs 10,000
(``HYPOTHESIS_PROFILE=thorough``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from study_guide.core.parse import parse_note, read_note
from study_guide.core.questions import FAMILIES

from .lossless import missing_words, render_html

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Words of answers never look like questions (no interrogatives, no '?'), so counts are exact.
VOCABULARY = [
    "model", "data", "layer", "weights", "loss", "batch", "epoch", "tensor", "pixel", "label", "café",
    "naïve", "größe", "数据", "模型", "x²", "3.5", "y_range", "fine_tune", "résumé", "GPU", "ReLU", "e.g.",
]  # fmt: skip
INTERROGATIVES = ["What", "Why", "How", "Which", "Explain", "Name", "Is", "Can"]

word = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(alphabet=st.characters(categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8),
)


@st.composite
def sentence(draw: st.DrawFn, min_words: int = 1) -> str:
    words = draw(st.lists(word, min_size=min_words, max_size=10))
    styled = [draw(st.sampled_from(["{}", "{}", "{}", "*{}*", "`{}`"])).format(w) for w in words]
    return " ".join(styled)


@st.composite
def question(draw: st.DrawFn) -> str:
    return f"{draw(st.sampled_from(INTERROGATIVES))} {draw(sentence())}?"


@st.composite
def answer(draw: st.DrawFn, family: str) -> list[str]:
    """Answer lines in one of the styles learners use (some styles only fit some families)."""
    styles = ["paragraphs", "bullets", "code", "label", "empty", "placeholder"]
    if family in ("numbered", "bold", "heading"):
        styles.append("quote")
    style = draw(st.sampled_from(styles))
    paragraphs = draw(st.lists(sentence(), min_size=1, max_size=3))
    if style == "quote":
        return ["> " + "\n>\n> ".join(paragraphs)]
    if style == "paragraphs":
        return ["\n\n".join(paragraphs)]
    if style == "bullets":
        indent = draw(st.sampled_from(["  ", "    ", "\t"]))
        marker = draw(st.sampled_from(["-", "*", "+"]))
        items = [f"{indent}{marker} {p}" for p in paragraphs]
        if draw(st.booleans()):
            items.append(f"{indent}{indent}{marker} {draw(sentence())}")
        return ["\n".join(items)]
    if style == "code":
        return ["```python\n1. not a question\n# not a heading\n" + paragraphs[0] + "\n```"]
    if style == "label":
        return [f"{draw(st.sampled_from(['Ans:', 'Answer:', '**Answer:**']))} {paragraphs[0]}"]
    if style == "placeholder":
        return [draw(st.sampled_from(["TODO", "NA", "[Answer here]"]))]
    return []


@st.composite
def html_answer(draw: st.DrawFn) -> str:
    """The rest of an exported admonition: paragraphs, a list, a line break, or nothing."""
    paragraphs = draw(st.lists(sentence(), min_size=1, max_size=3))
    style = draw(st.sampled_from(["p", "ol", "br", "empty"]))
    if style == "ol":
        return "<ol>" + "".join(f"<li>{p}</li>" for p in paragraphs) + "</ol>"
    if style == "br":
        return "<p>" + "<br>".join(paragraphs) + "</p>"
    return "<p></p>" if style == "empty" else "".join(f"<p>{p}</p>" for p in paragraphs)


@st.composite
def nested_answer(draw: st.DrawFn) -> list[str]:
    """Answer lines to indent under a bullet: bullets, a numbered list, a quote, code, or nothing."""
    paragraphs = draw(st.lists(sentence(), min_size=1, max_size=3))
    style = draw(st.sampled_from(["bullets", "numbers", "quote", "code", "empty"]))
    if style == "bullets":
        return [f"- {p}" for p in paragraphs]
    if style == "numbers":
        return [f"{n}. {p}" for n, p in enumerate(paragraphs, start=1)]
    if style == "quote":
        return [f"> {p}" for p in paragraphs]
    if style == "code":
        return ["```python", "1. not a question", paragraphs[0], "```"]
    return []


@st.composite
def entry(draw: st.DrawFn, family: str, number: int) -> str:
    """One question and its answer, written in *family*'s shape."""
    q = draw(question())
    body = draw(answer(family))
    text = "\n\n".join(body)
    if family == "numbered":
        shape = draw(st.sampled_from(["{n}. {q}", "{n}) {q}", "**{n}. {q}**", "{n}. **{q}**", "{n}\\. {q}"]))
        head = shape.format(n=number, q=q)
    elif family == "quoted":
        head = f"> {number}. {q}"
    elif family == "bold":
        head = f"**{q}**"
    elif family == "heading":
        head = f"## {q}"
    elif family == "qa":
        return f"**Q:** {q}\n**A:** {draw(sentence())}"
    elif family == "html":
        kind = "tip" if draw(st.booleans()) and number > 1 else "note"  # a second kind: further research
        return f'<div class="admonition {kind}"><p class="admonition-title">{number}. {q}</p>{draw(html_answer())}</div>'
    elif family == "bullets":
        nested = "".join(f"\n    {line}" for line in draw(nested_answer()))
        return f"{draw(st.sampled_from(['-', '*']))} {q}{nested}"
    elif family == "plain":
        return q + "".join(f"\n- {s}" for s in draw(st.lists(sentence(), max_size=3)))
    else:  # callout
        lines = [line for line in text.split("\n")] if text else []
        return "\n".join([f"> [!question]- {q}", *(f"> {line}" if line else ">" for line in lines)])
    return f"{head}\n\n{text}" if text else head


@st.composite
def note(draw: st.DrawFn) -> tuple[str, str, int]:
    """A whole note: maybe frontmatter, a questionnaire in one family, maybe a summary and notes."""
    family = draw(st.sampled_from(FAMILIES))
    # One unmarked line ending with '?' is no questionnaire: plain lines take two questions or more.
    count = draw(st.integers(min_value=2 if family == "plain" else 1, max_value=8))
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(st.sampled_from(VOCABULARY))}\ntags: [fastai]\n---")
    if draw(st.booleans()):
        parts.append(draw(sentence()))
    parts += [draw(entry(family, n)) for n in range(1, count + 1)]
    if draw(st.booleans()):
        bullets = draw(st.lists(sentence(), min_size=1, max_size=5))
        parts.append("## Summary\n" + "\n".join(f"- {b} #best-practice" if i % 2 else f"- {b}" for i, b in enumerate(bullets)))
    if draw(st.booleans()):
        parts.append("## Notes\n\n1. " + draw(sentence()) + "\n2. " + draw(sentence()))
    text = "\n\n".join(parts) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = text.replace("model", "mo\u00addel")  # a soft hyphen, invisible
    return text, family, count


@given(st.text())
def test_parser_never_raises_on_any_text(text: str) -> None:
    lesson = parse_note(text, "fuzz.md")
    assert all(p.line >= 1 for p in lesson.problems)
    page = render_html(text)
    # Every question the parser found is on the page: the tags page and search may link to it.
    assert all(f'id="{q.anchor}"' in page for q in lesson.questions)


# Lines of the shapes notes mix: text made of them reaches the lexer's and the finders' corners.
_PIECES = [
    "1. What is it?", "**Why?**", "## How?", "- What?", "    - answer", "> quote", "```", "```python", "~~~", "`code`",
    "What plain?", "<div class=\"admonition note\"><p class=\"admonition-title\">2. Q?</p><p>A</p></div>", "", "text #tag",
    "![[nb.ipynb#x]]", "    code", "Notes:", "---", "===", "> ```py", "> [!question] Q?", "Q: q?", "A: a",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
@example(["    code", "```python", "`code`", "---", "```"])  # a fence glued to indented code: the page shows its marks
def test_every_question_found_is_on_the_page(pieces: list[str]) -> None:
    text = "\n".join(pieces)
    lesson = parse_note(text, "mixed.md")
    page = render_html(text)
    assert all(f'id="{q.anchor}"' in page for q in lesson.questions)
    # A note with an error gets a page of its problems instead (see test_build); a fence never closed
    # is shown as text, whose backticks can then pair with a code span's and glue two words together.
    if not lesson.errors and not any("the page shows it as text" in p.message for p in lesson.problems):
        assert missing_words(text, page) == []


@given(st.binary(max_size=2000))
def test_reading_never_raises_on_any_bytes(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "junk.md"
    path.write_bytes(data)
    lesson = read_note(path)
    assert all(p.line >= 1 for p in lesson.problems)


@given(note())
def test_generated_notes_are_read_whole(generated: tuple[str, str, int]) -> None:
    text, family, count = generated
    lesson = parse_note(text, "generated.md")
    assert not lesson.errors
    assert len(lesson.questions) == count
    if count >= 2:
        assert lesson.family == family
    assert missing_words(text) == []


@given(st.text(alphabet=st.characters(codec="utf-8")) | st.text(alphabet=" \t\n\r\x00\x0c\xa0\ufeff\u2028<>&;#xa-zé\"'=/"))
def test_the_sanitiser_skips_only_text_that_nh3_returns_unchanged(text: str) -> None:
    # sanitize_html answers text with nothing to clean without calling nh3: the answer must be nh3's own.
    from study_guide.core.sanitize import _CLEANER, sanitize_html

    assert sanitize_html(text) == _CLEANER.clean(text)
