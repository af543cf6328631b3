"""The parser on small notes written for one behaviour each."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from study_guide.core.model import Prose, Questionnaire, Severity, Summary
from study_guide.core.parse import parse_note, read_note


def parse(text: str):
    return parse_note(textwrap.dedent(text).lstrip("\n"), "note.md")


def test_question_with_blockquote_answer() -> None:
    lesson = parse(
        """
        1. What is a GPU?

        > A graphics card.
        >
        > It trains networks fast.
        """
    )
    (q,) = lesson.questions
    assert (q.number, q.text, q.line, q.answer_line) == (1, "What is a GPU?", 1, 3)
    assert q.answer == "A graphics card.\n\nIt trains networks fast."
    assert q.has_answer


def test_answer_without_blockquote_runs_to_next_question() -> None:
    lesson = parse(
        """
        1. Draw it.

        ![sketch](sketch.png)

        2. And this?
        """
    )
    first, second = lesson.questions
    assert first.answer == "![sketch](sketch.png)"
    assert second.answer == "" and not second.has_answer and second.answer_line is None


def test_placeholders_are_not_answers() -> None:
    lesson = parse(
        """
        1. One?

        > TODO

        2. Two?

        > [Answer here]

        3. Three?

        > N/A
        """
    )
    assert [q.placeholder for q in lesson.questions] == [True, True, True]
    assert [q.answer for q in lesson.questions] == ["TODO", "[Answer here]", "N/A"]


def test_numbers_inside_code_fences_are_not_questions() -> None:
    lesson = parse(
        """
        1. Show the loop.

        ```python
        2. not a question
        # not a heading
        ```

        2. Next?
        """
    )
    assert [q.number for q in lesson.questions] == [1, 2]
    assert "2. not a question" in lesson.questions[0].answer


def test_unclosed_fence_is_a_warning_with_its_line() -> None:
    lesson = parse(
        """
        1. Code?

        ```
        x = 1
        """
    )
    (problem,) = lesson.problems
    assert problem.line == 3 and problem.severity is Severity.WARNING
    assert "never closed" in problem.message


def test_a_fence_glued_to_indented_code_is_a_warning_with_its_line() -> None:
    lesson = parse(
        """
        1. Code?

        > The shell first:
        >
        >     pip install fastai
        > ```python
        > import fastai
        > ```
        """
    )
    (problem,) = lesson.problems
    assert problem.line == 6 and problem.severity is Severity.WARNING
    assert "follows indented code with no blank line between" in problem.message
    assert problem.message.endswith("put a blank line before it")
    assert "import fastai" in lesson.questions[0].answer  # shown, as text: nothing of the note is lost


def test_repeated_numbers_number_questions_by_position() -> None:
    lesson = parse(
        """
        1. One?

        > a

        2. Two?

        > b

        2. Two again?

        > c
        """
    )
    assert [q.anchor for q in lesson.questions] == ["q-1", "q-2", "q-3"]
    assert [q.marker for q in lesson.questions] == ["1.", "2.", "2."]
    (problem,) = lesson.problems
    assert problem.line == 9 and problem.severity is Severity.NOTE and "their positions" in problem.message


def test_every_question_numbered_one_is_numbered_in_order() -> None:
    lesson = parse("1. One?\n\n> a\n\n1. Two?\n\n> b\n")
    assert [(q.anchor, q.number, q.marker) for q in lesson.questions] == [("q-1", 1, ""), ("q-2", 2, "")]
    assert lesson.problems == []


def test_blocks_keep_document_order() -> None:
    lesson = parse(
        """
        Intro text.

        1. Q?

        > A

        ## Notes

        Something else.

        ## Summary
        - first #tag-one
        - second
          continued
        - third

        Trailing words.
        """
    )
    kinds = [type(b) for b in lesson.blocks]
    assert kinds == [Prose, Questionnaire, Prose, Summary, Prose]
    summary = lesson.blocks[3]
    assert isinstance(summary, Summary)
    assert [b.text for b in summary.bullets] == ["first #tag-one", "second\n  continued", "third"]
    assert summary.bullets[0].tags == ("tag-one",)
    assert lesson.blocks[-1].text.strip() == "Trailing words."  # type: ignore[union-attr]


def test_hashtags_are_not_urls_or_headings() -> None:
    lesson = parse(
        """
        ## Summary
        - see https://example.com/#anchor and &#39; but #real-tag and #2 not
        """
    )
    assert lesson.bullets[0].tags == ("real-tag",)


def test_frontmatter_yaml_error_names_its_line() -> None:
    lesson = parse(
        """
        ---
        title: ok
        tags: [a, b
        ---
        1. Q?
        """
    )
    (problem,) = lesson.problems
    assert problem.severity is Severity.ERROR
    assert problem.line in (3, 4)
    assert "not valid YAML" in problem.message and "is a list: close it with ]" in problem.message


def test_frontmatter_must_be_a_mapping() -> None:
    lesson = parse(
        """
        ---
        - a
        - b
        ---
        1. Q?
        """
    )
    assert lesson.errors and lesson.errors[0].line == 2


def test_unclosed_frontmatter() -> None:
    lesson = parse(
        """
        ---
        title: x
        1. Q?
        """
    )
    assert lesson.errors and lesson.errors[0].line == 1 and "never closed" in lesson.errors[0].message


def test_line_numbers_count_the_frontmatter() -> None:
    lesson = parse(
        """
        ---
        title: Lesson
        ---

        1. Q?
        """
    )
    assert lesson.questions[0].line == 5


def test_windows_line_endings() -> None:
    lesson = parse_note("1. Q?\r\n\r\n> A\r\n", "note.md")
    assert lesson.questions[0].answer == "A"


def test_invalid_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    note = tmp_path / "bad.md"
    note.write_bytes(b"1. Q?\n\n> caf\xe9\n")
    lesson = read_note(note)
    (problem,) = lesson.problems
    assert problem.severity is Severity.ERROR and problem.line == 3
    assert "UTF-8" in problem.message


def test_note_with_nothing_to_study_is_a_warning() -> None:
    lesson = parse("Just some text.\n")
    (problem,) = lesson.problems
    assert problem.severity is Severity.WARNING and "## Summary" in problem.message
    assert lesson.blocks == [Prose("Just some text.\n", 1)]


def test_title_falls_back_to_file_name() -> None:
    lesson = parse_note("1. Q?\n", "docs/lessons/02-from-model-to-production.md")
    assert lesson.title == "From model to production"


def test_question_key_survives_renumbering_and_spacing() -> None:
    before = parse("3. What is  a GPU?\n\n> a\n").questions[0]
    after = parse("7. what is a **GPU**\n\n> a\n").questions[0]
    changed = parse("7. What is a CPU?\n\n> a\n").questions[0]
    assert before.key == after.key != changed.key


def test_a_question_heading_that_mentions_a_summary_is_a_question() -> None:
    lesson = parse("## What goes in a summary?\n\nThe key points.\n\n## Why take notes?\n\nTo remember.\n")
    assert lesson.family == "heading"
    assert [q.text for q in lesson.questions] == ["What goes in a summary?", "Why take notes?"]


@pytest.mark.parametrize(
    ("frontmatter", "line", "fix"),
    [
        (
            "title: From model to production: deploying",
            2,
            """put the value in quotes: title: "From model to production: deploying\"""",
        ),
        ("title: C# basics: intro", 2, """put the value in quotes: title: "C# basics: intro\""""),
        ('title: "Chapter 2" and more', 2, """put the value in quotes: title: '"Chapter 2" and more'"""),
        ("title: @home", 2, 'put the value in quotes: title: "@home"'),
        ("title: [draft] Lesson 2", 2, 'put the value in quotes: title: "[draft] Lesson 2"'),
        ("title: [unclosed", 3, 'is a list: close it with ], or put the value in quotes: title: "[unclosed"'),
        ("title: x\ntags:\n\t- a", 4, "indent with spaces, not tabs"),
        ("title: x\n\ttags: a", 3, "indent with spaces, not tabs"),
        ('title: "From model to production\ntype: course', 2, 'a quote is never closed); end the value with "'),
        ("title: 'From model\ntype: course", 2, "end the value with '"),
        ("title: a\n  b: c", 3, "write one 'key: value' per line"),
    ],
)
def test_frontmatter_yaml_mistakes_name_their_fix(frontmatter: str, line: int, fix: str) -> None:
    lesson = parse_note(f"---\n{frontmatter}\n---\n1. Q?\n\n> A\n", "note.md")
    (problem,) = lesson.problems
    assert problem.severity is Severity.ERROR
    assert problem.line == line
    assert problem.message.startswith("frontmatter is not valid YAML (") and fix in problem.message
