"""What to write instead, for the YAML mistakes learners make in frontmatter.

The YAML parser says what it found ("mapping values are not allowed in this context"); a learner
needs the fix ("put the value in quotes"). The common cases get their fix named, with the line
rewritten where that helps: a colon (or a character such as ``@``, ``[``) in a value, tabs, an
unclosed quote. Anything else gets the general advice.
"""

from __future__ import annotations

import yaml

GENERAL = "write one 'key: value' per line"


def frontmatter_error(exc: yaml.YAMLError, lines: list[str], first_line: int) -> tuple[int, str]:
    """The file line to report and the message, for *exc* raised by the frontmatter *lines*.

    *first_line* is the file's line number of ``lines[0]``.
    """
    mark = getattr(exc, "problem_mark", None)
    start = getattr(exc, "context_mark", None)
    at = mark.line if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    if "quoted scalar" in context and start is not None:
        # The parser notices only at the end of the frontmatter: point at the opening quote instead.
        quote = _line(lines, start.line)[start.column : start.column + 1] or '"'
        message = f"frontmatter is not valid YAML (a quote is never closed); end the value with {quote}, or remove the quote"
        return first_line + start.line, message
    text = _line(lines, at)
    if "tab" in problem or (mark is not None and text[mark.column : mark.column + 1] == "\t"):
        advice = "indent with spaces, not tabs"
    elif "flow" in context and start is not None and (quoted := _quoted(_line(lines, start.line))):
        # A value that starts with [ or { is a list or a mapping to YAML.
        opener = _line(lines, start.line)[start.column : start.column + 1]
        kind, closer = ("list", "]") if opener == "[" else ("mapping", "}")
        advice = f"a value starting with {opener} is a {kind}: close it with {closer}, or put the value in quotes: {quoted}"
    elif mark is not None and ":" in text[: mark.column] and (quoted := _quoted(text)):
        advice = f"put the value in quotes: {quoted}"  # the parser stumbled inside the value: a colon, an @, a `
    else:
        advice = GENERAL
    if start is not None and start.line < at:
        problem += f", in what starts on line {first_line + start.line}"
    return first_line + at, f"frontmatter is not valid YAML ({problem}); {advice}"


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _quoted(text: str) -> str | None:
    """The line ``key: value`` with its value in quotes; ``None`` when *text* is no such line."""
    key, colon, value = text.partition(":")
    value = value.strip()
    if not colon or not value or not key.strip() or key.lstrip().startswith(("-", "#", '"', "'")):
        return None
    if '"' in value and "'" not in value:
        return f"{key}: '{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{key}: "{escaped}"'
