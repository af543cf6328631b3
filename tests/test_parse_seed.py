"""The parser on the real note the product was built for (lesson 1 of the course)."""

from __future__ import annotations

import re

import pytest

from study_guide.core.model import Lesson, Severity
from study_guide.core.parse import read_note

from .conftest import SEED


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return read_note(SEED)


def test_frontmatter(lesson: Lesson) -> None:
    assert lesson.meta["title"] == "Deep Learning"
    assert lesson.meta["type"] == "course"
    assert lesson.title == "Deep Learning"


def test_only_problem_is_the_broken_trailing_link(lesson: Lesson) -> None:
    (problem,) = lesson.problems
    assert (problem.severity, problem.code) == (Severity.WARNING, "empty-link")
    assert SEED.read_text(encoding="utf-8").split("\n")[problem.line - 1] == "[  "
    assert "https://course.fast.ai/Lessons/lesson8a.html has no text" in problem.message


def test_33_questions_numbered_in_order(lesson: Lesson) -> None:
    assert [q.number for q in lesson.questions] == list(range(1, 34))
    assert [q.anchor for q in lesson.questions] == [f"q-{n}" for n in range(1, 34)]


def test_question_lines_point_at_the_source(lesson: Lesson) -> None:
    source = SEED.read_text(encoding="utf-8").split("\n")
    for q in lesson.questions:
        assert source[q.line - 1].startswith(f"{q.number}. {q.text}")


def test_answer_4_keeps_its_8_numbered_requirements(lesson: Lesson) -> None:
    answer = lesson.questions[3].answer
    items = [line for line in answer.splitlines() if line[:2].rstrip(".").isdigit()]
    assert len(items) == 8
    assert items[0] == "1. A set of\u00a0_processing units_"
    assert items[-1].startswith("8. An\u00a0_environment_")


def test_answer_2_keeps_two_space_line_breaks(lesson: Lesson) -> None:
    answer = lesson.questions[1].answer
    assert answer.startswith("Any five of the following:  \n")
    assert answer.count("  \n") == 9


def test_answer_5_spans_paragraphs(lesson: Lesson) -> None:
    paragraphs = lesson.questions[4].answer.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("In the 1980’s")


def test_answer_13_is_only_an_image(lesson: Lesson) -> None:
    q13 = lesson.questions[12]
    assert q13.answer.startswith("![samuel](https://forums.fast.ai/")
    assert q13.has_answer


@pytest.mark.parametrize("number", [8, 9])
def test_placeholder_answers(lesson: Lesson, number: int) -> None:
    q = lesson.questions[number - 1]
    assert q.answer == "To be done by the reader."
    assert q.placeholder and not q.has_answer


def test_answer_33_has_its_numbered_list(lesson: Lesson) -> None:
    answer = lesson.questions[32].answer
    assert "1. Make sure a training, validation" in answer
    assert "2. Try out a simple baseline" in answer


def test_47_summary_bullets(lesson: Lesson) -> None:
    bullets = lesson.bullets
    assert len(bullets) == 47
    assert [b.index for b in bullets] == list(range(1, 48))
    assert bullets[0].text == "Welcome to Part 1 2022 course"
    assert bullets[-1].text.startswith("Homework: Run notebooks")


def test_best_practice_tags(lesson: Lesson) -> None:
    tagged = [b for b in lesson.bullets if "best-practice" in b.tags]
    assert len(tagged) == 3
    assert all("#best-practice" in b.text for b in tagged)
    assert any("question" in b.tags for b in tagged)


def test_broken_trailing_link_is_kept(lesson: Lesson) -> None:
    last = lesson.blocks[-1]
    assert last.text == "[  \n](https://course.fast.ai/Lessons/lesson8a.html)"  # type: ignore[union-attr]


def test_every_body_line_is_in_exactly_one_block(lesson: Lesson) -> None:
    """Nothing is dropped: each non-blank body line is found in the blocks' text."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    kept = []
    for block in lesson.blocks:
        if hasattr(block, "questions"):
            for q in block.questions:
                kept += [q.text, *q.answer.splitlines()]
        elif hasattr(block, "bullets"):
            kept += [block.heading, *(b.text for b in block.bullets)]
        else:
            kept += block.text.splitlines()
    for line in body.splitlines():
        stripped = re.sub(r"^(?:>\s?)*(?:[-*+]\s+|\d+[.)]\s+)?", "", line).rstrip()
        assert not stripped or any(stripped in k for k in kept), line


def test_seed_body_is_kept_byte_for_byte() -> None:
    """Only frontmatter keys were added to the learner's note; its body is the original's."""
    original = (SEED.parents[2] / "tests" / "fixtures" / "seed-lesson-01-deep-learning.md").read_bytes()
    ours = SEED.read_bytes()
    assert ours.split(b"\n---\n", 1)[1] == original.split(b"\n---\n", 1)[1]
