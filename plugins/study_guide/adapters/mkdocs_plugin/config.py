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

    tags_page = c.Type(str, default="tags.md")
    """Where the generated page listing every tagged bullet, question and lesson goes ('' for none)."""

    concepts_page = c.Type(str, default="concepts.md")
    """Where the generated page listing every ``[[concept]]`` goes ('' for none): a wikilink to no lesson is a
    concept, listed with each question, answer and summary point that links to it."""

    review_page = c.Type(str, default="review.md")
    """Where the generated review page goes ('' for none): every answered question is a card there."""

    anki_deck = c.Type(str, default="course.apkg")
    """Where the course's Anki deck goes in the site ('' for none), linked from the home and review pages.

    One subdeck per lesson, one note per answered question, built from the pages as rendered;
    importing a newer deck updates the notes a learner has and keeps their Anki history.
    """

    print_page = c.Type(str, default="print.md")
    """Where the generated page that prints the whole course goes ('' for none): worksheets or answer keys."""

    new_cards_per_day = c.Type(int, default=20)
    """How many cards the review brings in for the first time each day (0: only cards already seen)."""

    empty_links = c.Choice(("warn", "info"), default="warn")
    """How to report a link without text (shown by its address): as a warning, or as info only.

    Info keeps ``--strict`` builds going for notes kept verbatim that end with such a link.
    """

    nav_group_size = c.Type(int, default=25)
    """Split a navigation section of more lessons than this into groups of this many (0: never).

    With Material's ``navigation.prune``, each page then carries only its own group's links,
    instead of every lesson of a long course repeated on every page.
    """

    raw_html = c.Choice(("sanitize", "trust"), default="sanitize")
    """What to do with HTML that notes hold: ``sanitize`` removes what could run or load from elsewhere.

    ``trust`` keeps notes' HTML as written (scripts, event handlers, iframes included), for
    authors who write their own widgets and never build notes they did not write themselves.
    """

    lessons_marker = c.Type(str, default="<!-- study-guide:lessons -->")
    """Text that a page writes where the generated list of lessons should go."""

    spoiler_free = c.Type(bool, default=False)
    """Keep answers out of the search index (questions stay searchable).

    A lesson can override it in its frontmatter with ``spoiler_free: true`` or ``false``.
    """

    parallel = c.Type(bool, default=True)
    """Parse notes, convert lesson pages and read them for search in a second, forked process on big courses.

    Only where it pays and is safe: two cores or more, ``fork`` available, not while serving; notes are parsed
    beside the build from 40 lessons on, pages converted from 8 on. The site is the same either way.
    """
