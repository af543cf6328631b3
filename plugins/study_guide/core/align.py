"""Give summary bullets their times by matching them to a chapter list or a transcript.

Bullets follow the video's order, so the match is a monotonic alignment: each bullet
goes to one segment, and a later bullet never goes to an earlier segment. Among all
such alignments the one with the highest total text similarity wins (dynamic
programming over bullets × segments). Similarity is TF-IDF cosine over words and
character n-grams, so "downloading" still meets "download".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .timestamps import format_time, parse_time

# Each bullet is pulled gently toward its share of the video, which only decides between
# segments that match it equally (often: not at all).
_POSITION_WEIGHT = 0.05
_WINDOW_SECONDS = 30


@dataclass(frozen=True)
class Segment:
    """A stretch of the video: where it starts and what is said or shown there."""

    start: int
    text: str


@dataclass(frozen=True)
class Match:
    """Where the alignment put one bullet, and how sure it is."""

    bullet: int  # the bullet's number (1-based)
    segment: Segment
    confidence: float  # cosine similarity, 0 to 1


class InputError(ValueError):
    """A chapter list or transcript that cannot be read; the message names file and line."""


def read_chapters(path: Path) -> list[Segment]:
    """Segments from a chapter list: ``start<TAB>topic`` lines; ``#`` comments and a header are skipped."""
    segments = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            seconds = parse_time(row[0])
            if seconds is None:
                if not segments and len(row) > 1:  # a header row such as 'start<TAB>topic'
                    continue
                raise InputError(f"{path}:{number}: {row[0]!r} is not a time; write 'm:ss<TAB>topic' per line")
            if len(row) < 2 or not row[1].strip():
                raise InputError(f"{path}:{number}: no topic after the time; write 'm:ss<TAB>topic'")
            segments.append(Segment(seconds, row[1].strip()))
    if not segments:
        raise InputError(f"{path}:1: no chapters found; write one 'm:ss<TAB>topic' per line")
    return segments


def read_transcript(path: Path, window: int = _WINDOW_SECONDS) -> list[Segment]:
    """Segments from WebVTT or SubRip captions: a window of captions starting at every caption."""
    import webvtt

    try:
        captions = webvtt.from_srt(str(path)) if path.suffix.lower() == ".srt" else webvtt.read(str(path))
    except Exception as exc:  # webvtt-py raises several types for malformed files
        raise InputError(f"{path}:1: not a readable {path.suffix.lstrip('.').upper()} file ({exc})") from exc
    cues = [(int(c.start_in_seconds), " ".join(c.text.split())) for c in captions if c.text.strip()]
    if not cues:
        raise InputError(f"{path}:1: the transcript holds no captions")
    segments = []
    for i, (start, _) in enumerate(cues):
        words = [text for t, text in cues[i:] if t < start + window]
        segments.append(Segment(start, " ".join(words)))
    return segments


def align(bullets: Sequence[str], segments: Sequence[Segment]) -> list[Match]:
    """The best monotonic assignment of *bullets* to *segments* (both in video order)."""
    if not bullets:
        return []
    similarity = _similarity(bullets, segments)
    n, m = len(bullets), len(segments)
    score = [[0.0] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for i in range(n):
        best, best_at = float("-inf"), 0
        for j in range(m):
            if i > 0 and score[i - 1][j] > best:  # best previous bullet at a segment <= j
                best, best_at = score[i - 1][j], j
            prior = _POSITION_WEIGHT * abs((j + 0.5) / m - (i + 0.5) / n)
            score[i][j] = similarity[i][j] - prior + (best if i > 0 else 0.0)
            back[i][j] = best_at
    j = max(range(m), key=lambda k: score[n - 1][k])
    chosen = [0] * n
    for i in range(n - 1, -1, -1):
        chosen[i] = j
        j = back[i][j]
    return [Match(i + 1, segments[j], round(float(similarity[i][j]), 3)) for i, j in enumerate(chosen)]


def _similarity(bullets: Sequence[str], segments: Sequence[Segment]) -> list[list[float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    corpus = [*bullets, *(s.text for s in segments)]
    words = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2)).fit(corpus)
    grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True).fit(corpus)
    total = None
    for vectorizer in (words, grams):
        b = vectorizer.transform(bullets)
        s = vectorizer.transform([seg.text for seg in segments])
        part = cosine_similarity(b, s)
        total = part if total is None else total + part
    return (total / 2).tolist()  # type: ignore[operator, union-attr]


def sidecar_text(matches: Sequence[Match], length: int | None, source: str) -> str:
    """The timestamps sidecar for these matches, with the matched text as a comment to review by."""
    lines = [
        f"# Times of the summary bullets, aligned to {source}.",
        "# Review each line against its chapter; '# CHECK' marks a weak match. Keys are bullet numbers.",
    ]
    if length is not None:
        lines.append(f'length: "{format_time(length)}"')
    lines.append("times:")
    for match in matches:
        flag = "  # CHECK" if match.confidence < LOW_CONFIDENCE else ""
        topic = match.segment.text[:70].replace("\n", " ")
        lines.append(f'  {match.bullet}: "{format_time(match.segment.start)}"  # {match.confidence:.2f} {topic}{flag}')
    return "\n".join(lines) + "\n"


LOW_CONFIDENCE = 0.12
"""Matches weaker than this are flagged for a person to check."""
