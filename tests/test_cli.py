"""``python -m study_guide check``: the authors' command, run as a real child process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import SEED


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "study_guide", "check", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_text_output_lists_questions_and_bullets() -> None:
    result = check(str(SEED))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("'Deep Learning': 33 questions (31 answered, read as 'numbered'), 47 summary bullets")
    assert any(line.startswith("  Q31  line ") and "What is y_range used for?" in line for line in lines)
    assert any("(no answer yet): To be done by the reader." in line for line in lines)
    assert any(line.startswith("  S47  line ") for line in lines)
    # The seed's problems: its last link has no text, one image comes from the web (warnings: the exit status stays 0).
    assert result.stderr.count("\n") == 2 and result.stderr.count("[warning]") == 2
    assert "has no text" in result.stderr
    assert "01-deep-learning.md:88: an image comes from another site" in result.stderr


def test_json_output(tmp_path: Path) -> None:
    result = check("--json", str(SEED.parent))
    assert result.returncode == 0, result.stderr
    (lesson,) = json.loads(result.stdout)["files"]
    assert lesson["title"] == "Deep Learning"
    assert lesson["family"] == "numbered"
    assert len(lesson["questions"]) == 33 and len(lesson["summary"]) == 47
    q13 = lesson["questions"][12]
    assert q13 == {
        "number": 13,
        "id": "q-13",
        "line": q13["line"],
        "text": "Draw a picture that summarizes Arthur Samuel’s view of a machine learning model",
        "answer": q13["answer"],
        "answer_line": q13["line"] + 2,
        "has_answer": True,
        "sure": True,
    }
    assert q13["answer"].startswith("![samuel](")
    assert lesson["summary"][27]["tags"] == ["best-practice"]
    assert [p["line"] for p in lesson["problems"]] == [len(SEED.read_text(encoding="utf-8").split("\n")) - 1, 88]


def test_problems_are_path_line_and_exit_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [x\n---\n1. Q?\n", encoding="utf-8")
    result = check(str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:")
    assert "not valid YAML" in result.stderr and "[error]" in result.stderr


def test_warnings_exit_zero_unless_strict(tmp_path: Path) -> None:
    note = tmp_path / "fence.md"
    note.write_text("1. A?\n\n> a\n\n```\ncode\n", encoding="utf-8")
    assert check(str(note)).returncode == 0
    strict = check("--strict", str(note))
    assert strict.returncode == 1 and f"{note}:5: code block opened with ``` is never closed" in strict.stderr


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = check(str(tmp_path / "nope.md"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_images_from_other_sites_are_listed(tmp_path: Path) -> None:
    note = tmp_path / "01-images.md"
    note.write_text(
        "1. Q?\n\n> ![a cat](https://example.org/cat.png) and ![ok](cat.png)\n\n"
        '2. R?\n\n> <img alt="dog" src="//cdn.example.org/dog.jpg">\n\n'
        "```\n![in code](https://example.org/code.png)\n```\n\n`![span](https://example.org/span.png)`\n",
        encoding="utf-8",
    )
    result = check(str(note))
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{note}:3: 2 images come from another site, so the offline copy (make offline) cannot show them")
    assert "https://example.org/cat.png (line 3), //cdn.example.org/dog.jpg (line 7)" in line
    assert "download each next to the note" in line and "privacy plugin" in line and line.endswith("[warning]")
    assert check("--strict", str(note)).returncode == 1
