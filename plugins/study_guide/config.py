"""The plugin's options, as written under ``plugins: - study-guide:`` in ``mkdocs.yml``."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class StudyGuideConfig(Config):
    """Options of the study-guide plugin."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off (for a plain build of the same notes) without removing it."""

    lessons_dir = c.Type(str, default="lessons")
    """Folder under ``docs_dir`` whose Markdown files are lesson notes."""

    lessons_marker = c.Type(str, default="<!-- study-guide:lessons -->")
    """Text that a page writes where the generated list of lessons should go."""
