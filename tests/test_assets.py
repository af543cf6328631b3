"""The front-end stays small and to itself: our JS and CSS at most 12 KB gzipped, shipped as-is, styling only our blocks."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from .conftest import ROOT

ASSETS = ROOT / "plugins" / "study_guide" / "assets"
SHIPPED = ("study-guide.js", "study-guide.css")
LIMIT = 12 * 1024


def test_js_and_css_are_at_most_12_kb_gzipped() -> None:
    sizes = {name: len(gzip.compress((ASSETS / name).read_bytes(), compresslevel=9)) for name in SHIPPED}
    assert sum(sizes.values()) <= LIMIT, f"gzipped sizes {sizes}: {sum(sizes.values())} bytes > {LIMIT}"


def test_the_built_site_ships_exactly_these_files(seed_site: Path) -> None:
    for name in SHIPPED:
        assert (seed_site / "assets" / "study-guide" / name).read_bytes() == (ASSETS / name).read_bytes()


def test_every_css_rule_styles_our_own_elements_only() -> None:
    css = re.sub(r"/\*.*?\*/", "", (ASSETS / "study-guide.css").read_text(encoding="utf-8"), flags=re.DOTALL)
    # A comma inside :is(...) or :not(...) does not separate selectors.
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in re.split(r",(?![^()]*\))", rule)]
    selectors = [s for s in selectors if s and not s.startswith(("@", "from", "to"))]
    assert selectors
    assert [s for s in selectors if ".sg-" not in s and "#sg-" not in s] == []


def test_our_css_and_js_come_before_the_sites_own(seed_site: Path) -> None:
    page = (seed_site / "index.html").read_text(encoding="utf-8")
    assert page.index("assets/study-guide/study-guide.css") < page.index("stylesheets/site.css")
