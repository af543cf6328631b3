"""Times of summary bullets: formats, the sidecar, checks, the aligner, and the links built."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from study_guide.core import align
from study_guide.core.model import Severity
from study_guide.core.parse import parse_note, read_note
from study_guide.core.timestamps import Video, format_time, parse_time, parse_video, split_bullet_time

from .conftest import ROOT, SEED

CHAPTERS = ROOT / "tests" / "fixtures" / "lesson-01-video-chapters.tsv"
SIDECAR = SEED.with_name("01-deep-learning.timestamps.yml")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0:00", 0), ("38:12", 2292), ("1:02:03", 3723), ("125:00", 7500), ("1:60", None), ("1:2:03", None), ("12", None)],
)
def test_parse_time(text: str, seconds: int | None) -> None:
    assert parse_time(text) == seconds
    if seconds is not None and seconds < 3600:
        assert parse_time(format_time(seconds)) == seconds


@pytest.mark.parametrize(
    ("bullet", "rest", "written"),
    [
        ("[12:34] Training the model", "Training the model", "12:34"),
        ("12:34 Training the model", "Training the model", "12:34"),
        ("12:34 - Training the model", "Training the model", "12:34"),
        ("Training the model (1:02:03)", "Training the model", "1:02:03"),
        ("Training the model [1:02:03]", "Training the model", "1:02:03"),
        ("Training at 5:10 in the video", "Training at 5:10 in the video", None),
    ],
)
def test_split_bullet_time(bullet: str, rest: str, written: str | None) -> None:
    assert split_bullet_time(bullet) == (rest, written)


@pytest.mark.parametrize(
    ("value", "video"),
    [
        ("8SF_h3xF3cE", Video(youtube_id="8SF_h3xF3cE")),
        ("https://www.youtube.com/watch?v=8SF_h3xF3cE&list=x", Video(youtube_id="8SF_h3xF3cE")),
        ("https://youtu.be/8SF_h3xF3cE?t=3", Video(youtube_id="8SF_h3xF3cE")),
        ("https://www.youtube.com/embed/8SF_h3xF3cE", Video(youtube_id="8SF_h3xF3cE")),
        ("https://example.org/lesson 1.mp4", Video(file_url="https://example.org/lesson%201.mp4")),
        ("https://www.youtube.com/watch?v=short", None),
        ("media/lesson-1.webm", Video(file_url="media/lesson-1.webm")),
        ("not a video", None),
        ("https://example.org/lesson-1", None),
        ("javascript:alert(1)//.mp4", None),
        ("ftp://example.org/lesson.mp4", None),
        (12, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_video(value: object, video: Video | None) -> None:
    assert parse_video(value) == video


def test_links_seek_youtube_and_files() -> None:
    assert Video(youtube_id="8SF_h3xF3cE").link(2292) == "https://www.youtube.com/watch?v=8SF_h3xF3cE&t=2292s"
    assert Video(file_url="https://example.org/a.mp4").link(75) == "https://example.org/a.mp4#t=75"
    assert Video(youtube_id="8SF_h3xF3cE").embed.startswith("https://www.youtube-nocookie.com/embed/8SF_h3xF3cE?")


def note_with_sidecar(tmp_path: Path, note: str, sidecar: str) -> Path:
    path = tmp_path / "01-lesson.md"
    path.write_text(textwrap.dedent(note).lstrip(), encoding="utf-8")
    (tmp_path / "01-lesson.timestamps.yml").write_text(textwrap.dedent(sidecar).lstrip(), encoding="utf-8")
    return path


NOTE = """
    ---
    video: 8SF_h3xF3cE
    ---
    ## Summary
    - [0:10] Welcome
    - Downloading bird photos
    - Training the model
    - Predicting (5:49)
    """


def test_sidecar_times_by_number_and_by_first_words(tmp_path: Path) -> None:
    path = note_with_sidecar(tmp_path, NOTE, 'times:\n  2: "1:06"\n  "training the": "5:10"\n')
    lesson = read_note(path)
    assert [b.time for b in lesson.bullets] == [10, 66, 310, 349]
    assert lesson.bullets[0].text == "Welcome"
    assert lesson.problems == []


def test_sidecar_problems_name_the_sidecar_and_its_line(tmp_path: Path) -> None:
    sidecar = """
        length: "5:00"
        times:
          2: "1:06"
          "downloading": "1:07"
          7: "2:00"
          3: "9:99"
          3: "1:00"
        """
    lesson = read_note(note_with_sidecar(tmp_path, NOTE, sidecar))
    shown = {(p.path and Path(p.path).name, p.line, p.severity): p.message for p in lesson.problems}
    side = "01-lesson.timestamps.yml"
    assert "not a time" in shown[(side, 6, Severity.ERROR)]
    assert "already has a time from line 3" in shown[(side, 4, Severity.WARNING)]
    assert "matches no summary bullet" in shown[(side, 5, Severity.WARNING)]
    assert "comes before bullet 2" in shown[(side, 7, Severity.WARNING)]
    assert "past the end of the video (5:00)" in shown[(None, 8, Severity.WARNING)]


def test_backwards_and_malformed_times_in_bullets() -> None:
    lesson = parse_note("## Summary\n- [5:00] later\n- [1:00] earlier\n- [75:99] not a time\n", "n.md")
    messages = {(p.line, p.severity): p.message for p in lesson.problems}
    assert "bullet 2 (1:00) comes before bullet 1 (5:00)" in messages[(3, Severity.WARNING)]
    assert "'75:99' is not a time" in messages[(4, Severity.WARNING)]
    assert lesson.bullets[2].time is None and lesson.bullets[2].text == "[75:99] not a time"


def test_invalid_sidecar_yaml_is_an_error(tmp_path: Path) -> None:
    lesson = read_note(note_with_sidecar(tmp_path, NOTE, "times: [\n"))
    assert lesson.errors and lesson.errors[0].path.endswith("01-lesson.timestamps.yml")


def test_every_seed_bullet_has_a_time_in_video_order() -> None:
    lesson = read_note(SEED)
    times = [b.time for b in lesson.bullets]
    assert None not in times and len(times) == 47
    assert times == sorted(times) and times[-1] <= parse_time("1:22:55")
    assert [p.code for p in lesson.problems] == ["empty-link"]


def test_aligner_reproduces_the_seed_sidecar_except_where_corrected() -> None:
    matches = align.align([b.text for b in read_note(SEED).bullets], align.read_chapters(CHAPTERS))
    reviewed = {}
    for line in SIDECAR.read_text(encoding="utf-8").splitlines():
        if m := re.match(r'\s+(\d+): "([\d:]+)"(.*)', line):
            reviewed[int(m[1])] = (m[2], "corrected" in m[3])
    assert len(reviewed) == 47
    corrected = [n for n, (_, fixed) in reviewed.items() if fixed]
    assert len(corrected) == 13
    for match in matches:
        time, fixed = reviewed[match.bullet]
        if not fixed:
            assert format_time(match.segment.start) == time, match.bullet


def vtt_time(seconds: int) -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"


def synthetic_transcript(tmp_path: Path) -> tuple[Path, list[str], list[int]]:
    """A transcript whose true times are known: each topic is talked about in its own minute."""
    topics = [
        ("downloading photos of birds and forests from the web", "we download bird photos and forest photos"),
        ("resizing every image to the same size", "images get resized so that they all have the same size"),
        ("removing broken images that failed to download", "some images are broken so we remove them"),
        ("building a DataBlock with blocks splitter and labels", "the DataBlock needs blocks a splitter and labels"),
        ("training the learner with fine tune", "now we train the learner calling fine tune"),
        ("predicting whether a new photo shows a bird", "let us predict if this new photo is a bird"),
        ("segmentation gives every pixel a category", "segmentation means a category for every pixel"),
        ("tabular data with categorical and continuous columns", "tabular data has categorical and continuous columns"),
        ("collaborative filtering recommends movies to users", "collaborative filtering recommends movies for users"),
        ("the y range of ratings between half and five", "we set the y range because ratings go from half to five"),
    ]
    filler = ["so", "and then", "let us see", "right", "okay so here we go"]
    cues, times = [], []
    for k, (_, spoken) in enumerate(topics):
        base = 60 * k
        times.append(base + 20)
        lines = [filler[k % 5], filler[(k + 1) % 5], spoken, filler[(k + 2) % 5]]
        for c, text in enumerate(lines):
            start = base + 10 * c
            cues.append(
                f"00:{start // 60:02d}:{start % 60:02d}.000 --> 00:{(start + 9) // 60:02d}:{(start + 9) % 60:02d}.000\n{text}"
            )
    path = tmp_path / "lesson.vtt"
    path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    return path, [t for t, _ in topics], times


def test_aligner_on_a_transcript_with_known_times(tmp_path: Path) -> None:
    path, bullets, truth = synthetic_transcript(tmp_path)
    matches = align.align(bullets, align.read_transcript(path))
    starts = [m.segment.start for m in matches]
    assert starts == sorted(starts)  # never backwards
    right = sum(abs(start - true) <= 30 for start, true in zip(starts, truth, strict=True))
    assert right >= 0.9 * len(bullets)


def test_aligner_on_srt(tmp_path: Path) -> None:
    srt = tmp_path / "lesson.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:04,000\nbirds and forests\n\n2\n00:01:00,000 --> 00:01:04,000\ntraining a model\n")
    segments = align.read_transcript(srt)
    assert [s.start for s in segments] == [1, 60]
    assert [m.segment.start for m in align.align(["training the model"], segments)] == [60]


def test_bad_chapter_file_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "chapters.tsv"
    bad.write_text("start\ttopic\n0:00\tintro\nsoon\tlater\n", encoding="utf-8")
    with pytest.raises(align.InputError, match=r"chapters.tsv:3: 'soon' is not a time"):
        align.read_chapters(bad)


def test_align_command_writes_a_sidecar_and_keeps_hand_edits(tmp_path: Path) -> None:
    note = tmp_path / "01-deep-learning.md"
    note.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    run = [sys.executable, "-m", "study_guide", "align", str(note), "--chapters", str(CHAPTERS), "--length", "1:22:55"]
    result = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "47 bullets timed" in result.stdout and "CHECK" in result.stdout
    sidecar = tmp_path / "01-deep-learning.timestamps.yml"
    assert read_note(note).bullets[46].time == parse_time("1:18:54")
    again = subprocess.run(run, capture_output=True, text=True, timeout=120, check=False)
    assert again.returncode == 2 and "--force" in again.stderr
    assert sidecar.is_file()


def test_seed_page_links_every_bullet_into_the_video(seed_site: Path) -> None:
    page = BeautifulSoup((seed_site / "lessons" / "01-deep-learning" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = page.select(".sg-summary a.sg-time")
    assert len(links) == 47
    bullets = read_note(SEED).bullets
    for link, bullet in zip(links, bullets, strict=True):
        assert link["href"] == f"https://www.youtube.com/watch?v=8SF_h3xF3cE&t={bullet.time}s"
        assert link.get_text() == format_time(bullet.time)
    assert page.select_one("a.sg-time[data-sg-time='2292']").get_text() == "38:12"
    player = page.select_one(".sg-video")
    assert player["data-sg-embed"].startswith("https://www.youtube-nocookie.com/embed/8SF_h3xF3cE")
    assert not page.select("iframe")  # the player loads only when asked for
    assert not (seed_site / "lessons" / "01-deep-learning.timestamps.yml").exists()


@pytest.mark.parametrize("value", ["not a video", "https://www.youtube.com/watch?v=short", "ftp://example.org/a.mp4"])
def test_a_video_that_is_no_video_is_reported_where_it_is(value: str) -> None:
    lesson = parse_note(f"---\ntitle: T\nvideo: {value}\n---\n1. Q?\n\n> A\n", "docs/lessons/01-t.md")
    assert [p.format(lesson.path) for p in lesson.problems] == [
        f"docs/lessons/01-t.md:3: video: {value!r} is not a YouTube address or id, nor the address of a video file, so the page "
        "has no player; write it as https://www.youtube.com/watch?v=ID, https://youtu.be/ID, or the address of a .mp4 file"
    ]
