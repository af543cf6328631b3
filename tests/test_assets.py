"""The front-end stays small: our JS and CSS together at most 10 KB gzipped, shipped as-is."""

from __future__ import annotations

import gzip
from pathlib import Path

from .conftest import ROOT

ASSETS = ROOT / "plugins" / "study_guide" / "assets"
SHIPPED = ("study-guide.js", "study-guide.css")
LIMIT = 10 * 1024


def test_js_and_css_are_at_most_10_kb_gzipped() -> None:
    sizes = {name: len(gzip.compress((ASSETS / name).read_bytes(), compresslevel=9)) for name in SHIPPED}
    assert sum(sizes.values()) <= LIMIT, f"gzipped sizes {sizes}: {sum(sizes.values())} bytes > {LIMIT}"


def test_the_built_site_ships_exactly_these_files(seed_site: Path) -> None:
    for name in SHIPPED:
        assert (seed_site / "assets" / "study-guide" / name).read_bytes() == (ASSETS / name).read_bytes()


def test_the_video_player_is_sent_messages_at_its_own_origin_only() -> None:
    js = (ASSETS / "study-guide.js").read_text(encoding="utf-8")
    calls = [line for line in js.splitlines() if "postMessage(" in line]
    assert calls and all(line.rstrip().endswith('"https://www.youtube-nocookie.com");') for line in calls)
