"""Moments of the lesson video: times in summary bullets, the sidecar file, the video itself.

A bullet can carry its time (``[12:34] text``, ``12:34 text``, ``text (1:02:03)``), or a
sidecar next to the note (``01-intro.timestamps.yml``, written by ``align`` or by hand)
can give it, by bullet number or by the first words of the bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import yaml

from .model import Lesson, Problem, Severity, Summary, SummaryBullet, normalise_words

SIDECAR_SUFFIX = ".timestamps.yml"
_TIME = r"(?:\d{1,2}:)?\d{1,3}:\d{2}"
_LEADING = re.compile(rf"^\[(?P<time>{_TIME})\][ \t]*[-–—:]?[ \t]*|^(?P<bare>{_TIME})(?:[ \t]*[-–—:])?[ \t]+")
_TRAILING = re.compile(rf"[(\[](?P<time>{_TIME})[)\]][ \t]*$")
_TIME_LIKE = re.compile(r"^\[?\d{1,3}:\d[\d:]*\]?")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
# What a browser's <video> plays: any other address gets no player (and the note a warning).
_VIDEO_FILES = (".mp4", ".m4v", ".webm", ".ogv", ".ogg", ".mov")


def parse_time(text: str) -> int | None:
    """Seconds from ``m:ss`` or ``h:mm:ss``; None when the text is no valid time."""
    parts = text.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if numbers[-1] >= 60 or len(parts[-1]) != 2 or (len(parts) == 3 and (numbers[1] >= 60 or len(parts[1]) != 2)):
        return None
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def format_time(seconds: int) -> str:
    """``38:12`` or ``1:02:03``, as people write video times."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def split_bullet_time(text: str) -> tuple[str, str | None]:
    """A bullet's text without its time, and the time as written (or None)."""
    if match := _LEADING.match(text):
        return text[match.end() :], match.group("time") or match.group("bare")
    if match := _TRAILING.search(text):
        return text[: match.start()].rstrip(), match.group("time")
    return text, None


def looks_like_time(text: str) -> bool:
    """A bullet that starts like a time but is not a valid one (``[75:99]``, ``1:2:3``)."""
    return bool(_TIME_LIKE.match(text.strip()))


@dataclass(frozen=True)
class Video:
    """The lesson's video: a YouTube id, or the URL of a plain video file."""

    youtube_id: str | None = None
    file_url: str | None = None

    def link(self, seconds: int) -> str:
        """Where a bullet's time leads when there is no player on the page."""
        if self.youtube_id:
            return f"https://www.youtube.com/watch?v={self.youtube_id}&t={seconds}s"
        return f"{self.file_url}#t={seconds}"

    @property
    def embed(self) -> str:
        """The player's address: YouTube's privacy-enhanced domain, with its JavaScript API on."""
        if self.youtube_id:
            return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}?enablejsapi=1&rel=0"
        return str(self.file_url)


def parse_video(value: Any) -> Video | None:
    """A :class:`Video` from the frontmatter's ``video:``; None when it names none we can play."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if _YOUTUBE_ID.match(value):
        return Video(youtube_id=value)
    parts = urlsplit(value)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        candidate = parse_qs(parts.query).get("v", [""])[0] or parts.path.rstrip("/").rsplit("/", 1)[-1]
    if candidate is not None:
        return Video(youtube_id=candidate) if _YOUTUBE_ID.match(candidate) else None
    if parts.scheme in ("http", "https", "") and parts.path.lower().endswith(_VIDEO_FILES):
        # Quoted so the address can stand in a Markdown link and an HTML attribute as it is.
        return Video(file_url=quote(value, safe=":/?&=%#@+,;~"))
    return None


@dataclass(frozen=True)
class SidecarEntry:
    """One line of the sidecar: a bullet (by number or first words) and its time."""

    key: int | str
    seconds: int
    line: int


def read_sidecar(path: Path, shown: str) -> tuple[list[SidecarEntry], int | None, list[Problem]]:
    """Entries, the video's length if given, and problems of the sidecar at *path*."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return [], None, [Problem(line, "not valid YAML; write 'times:' then one 'N: \"m:ss\"' per line", Severity.ERROR, shown)]
    if root is None:
        return [], None, []
    if not isinstance(root, yaml.MappingNode):
        return [], None, [Problem(1, "write 'times:' with one 'N: \"m:ss\"' per bullet", Severity.ERROR, shown)]
    entries: list[SidecarEntry] = []
    length: int | None = None
    problems: list[Problem] = []
    for key_node, value_node in root.value:
        if key_node.value == "length" and isinstance(value_node, yaml.ScalarNode):
            length = parse_time(value_node.value)
            if length is None:
                problems.append(_bad_time(shown, value_node))
        elif key_node.value == "times" and isinstance(value_node, yaml.MappingNode):
            for k, v in value_node.value:
                seconds = parse_time(v.value) if isinstance(v, yaml.ScalarNode) else None
                if seconds is None:
                    problems.append(_bad_time(shown, v))
                    continue
                key: int | str = int(k.value) if k.value.isdigit() else k.value
                entries.append(SidecarEntry(key, seconds, k.start_mark.line + 1))
    return entries, length, problems


def _bad_time(shown: str, node: yaml.Node) -> Problem:
    value = getattr(node, "value", "")
    return Problem(
        node.start_mark.line + 1,
        f'{value!r} is not a time; write minutes and seconds as "12:34" or "1:02:03" (in quotes)',
        Severity.ERROR,
        shown,
    )


def apply_times(lesson: Lesson, entries: list[SidecarEntry], length: int | None, shown: str | None) -> None:
    """Give bullets the sidecar's times, then check all times: order, length, matches."""
    bullets = {b.index: b for b in lesson.bullets}
    matched: dict[int, SidecarEntry] = {}
    for entry in entries:
        bullet = _match(entry.key, lesson.bullets)
        if bullet is None:
            lesson.problems.append(
                Problem(
                    entry.line, f"{entry.key!r} matches no summary bullet; use the bullet's number or first words", path=shown
                )
            )
            continue
        if bullet.index in matched:
            first = matched[bullet.index]
            lesson.problems.append(
                Problem(
                    entry.line, f"bullet {bullet.index} already has a time from line {first.line}; keep one of them", path=shown
                )
            )
            continue
        matched[bullet.index] = entry
        if bullet.time is None:
            bullets[bullet.index] = replace(bullet, time=entry.seconds, time_line=entry.line, time_source=shown)
    _replace_bullets(lesson, bullets)
    length = length if length is not None else parse_time(str(lesson.meta.get("video_length", "")))
    _check_order(lesson, length)


def _match(key: int | str, bullets: list[SummaryBullet]) -> SummaryBullet | None:
    if isinstance(key, int):
        return next((b for b in bullets if b.index == key), None)
    prefix = normalise_words(key)
    found = [b for b in bullets if prefix and normalise_words(b.text).startswith(prefix)]
    return found[0] if len(found) == 1 else None


def _check_order(lesson: Lesson, length: int | None) -> None:
    previous: SummaryBullet | None = None
    for bullet in lesson.bullets:
        if bullet.time is None:
            continue
        where = bullet.time_line or bullet.line
        if length is not None and bullet.time > length:
            lesson.problems.append(
                Problem(
                    where,
                    f"{format_time(bullet.time)} is past the end of the video ({format_time(length)})",
                    path=bullet.time_source,
                )
            )
        if previous is not None and previous.time is not None and bullet.time < previous.time:
            lesson.problems.append(
                Problem(
                    where,
                    f"bullet {bullet.index} ({format_time(bullet.time)}) comes before bullet {previous.index} "
                    f"({format_time(previous.time)}) in the video; summary bullets follow the video's order",
                    path=bullet.time_source,
                )
            )
        previous = bullet


def _replace_bullets(lesson: Lesson, bullets: dict[int, SummaryBullet]) -> None:
    for i, block in enumerate(lesson.blocks):
        if isinstance(block, Summary):
            lesson.blocks[i] = replace(block, bullets=tuple(bullets[b.index] for b in block.bullets))
