"""What knows nothing of any site generator: reading notes, the lesson model, rendering, search
entries, cards, figures, the Anki deck, the HTML policy, and the front-end (``assets/``).

Nothing here imports MkDocs, ProperDocs, Zensical, Jinja or ``study_guide.adapters``
(``tests/test_layout.py`` checks it): arrows run from the adapters to the core, never back.
"""

from pathlib import Path

# The front-end every adapter ships: study-guide.js/.css on every page, the review's and the print page's own.
ASSETS_DIR = Path(__file__).parent / "assets"
# Third-party files we ship as they are (see vendor/README.md).
VENDOR_DIR = Path(__file__).parent / "vendor"
