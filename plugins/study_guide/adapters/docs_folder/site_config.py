"""The site's ``mkdocs.yml`` as this adapter reads it, and the configuration it writes for the rendered folder.

Read as YAML, not through MkDocs: the folder is for generators other than MkDocs, and a
configuration names plugins that need not be installed where it is rendered. Tags such as
``!!python/name:…`` and ``!ENV`` are kept as written for the generator, and resolved for the
Markdown this adapter converts itself.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from ...core.render import REQUIRED_EXTENSIONS

PLUGIN = "study-guide"
# Written as the first line of the configuration this adapter writes: it may overwrite only such a file.
HEADER = (
    "# Written by `python -m study_guide render`: a site of already rendered pages. Edit the site's own mkdocs.yml instead.\n"
)


class ConfigError(Exception):
    """The site's configuration cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag this adapter does not interpret (``!!python/name:…``, ``!ENV``, …), kept as written."""

    tag: str
    value: Any

    def resolve(self) -> Any:
        """The value a generator would use: the named Python object, the environment variable, else the value itself."""
        if self.tag.startswith("tag:yaml.org,2002:python/name:"):
            module, _, name = self.tag.removeprefix("tag:yaml.org,2002:python/name:").rpartition(".")
            return getattr(importlib.import_module(module), name)
        if self.tag == "!ENV":
            names = self.value if isinstance(self.value, list) else [self.value]
            default = names[-1] if len(names) > 1 else None
            return next((os.environ[n] for n in names[:-1] or names if n in os.environ), default)
        return self.value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(tag, loader.construct_sequence(node, deep=True))
    return Tagged(tag, loader.construct_mapping(node, deep=True))  # type: ignore[arg-type]


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Loader.add_multi_constructor("", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


@dataclass
class Options:
    """The study-guide plugin's options this route honours, with the plugin's defaults (a test keeps them equal)."""

    lessons_dir: str = "lessons"
    tags_page: str = "tags.md"
    concepts_page: str = "concepts.md"
    review_page: str = "review.md"
    print_page: str = "print.md"
    new_cards_per_day: int = 20
    empty_links: str = "warn"
    raw_html: str = "sanitize"
    lessons_marker: str = "<!-- study-guide:lessons -->"
    spoiler_free: bool = False


@dataclass
class SiteConfig:
    """What the route needs of the site's configuration, and the configuration itself to write out again."""

    path: Path
    data: dict[str, Any]
    docs_dir: Path
    options: Options = field(default_factory=Options)

    @property
    def site_name(self) -> str:
        return str(self.data.get("site_name") or "Course")

    @property
    def directory_urls(self) -> bool:
        return bool(self.data.get("use_directory_urls", True))

    def extensions(self) -> tuple[list[Any], dict[str, dict[str, Any]]]:
        """The Markdown extensions and their settings, as MkDocs gives them to Python-Markdown (ours added)."""
        names: list[Any] = ["toc", "tables", "fenced_code"]  # MkDocs always has these
        configs: dict[str, dict[str, Any]] = {}
        for name, settings in _named(self.data.get("markdown_extensions")):
            if name not in names:
                names.append(name)
            if settings:
                configs[name] = _resolved(settings)
        names += [name for name in REQUIRED_EXTENSIONS if name not in names]
        return names, configs


def _resolved(value: Any) -> Any:
    if isinstance(value, Tagged):
        return value.resolve()
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return value


def read_config(path: Path) -> SiteConfig:
    """The site described by the ``mkdocs.yml`` at *path*."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read as YAML ({exc}); fix it, or name another with --config-file") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a configuration (a mapping of settings such as site_name: …)")
    if "INHERIT" in data:
        raise ConfigError(f"{path}: INHERIT is not followed by render; write the settings into one file")
    docs_dir = (path.parent / str(data.get("docs_dir") or "docs")).resolve()
    return SiteConfig(path, data, docs_dir, _options(path, data.get("plugins")))


def _named(value: Any) -> list[tuple[str, Any]]:
    """``(name, settings)`` of each item of a list or mapping of plugins or extensions, as mkdocs.yml may write them."""
    if isinstance(value, dict):
        return list(value.items())
    return [next(iter(item.items())) if isinstance(item, dict) else (item, None) for item in value or []]


def _options(path: Path, plugins: Any) -> Options:
    settings = next((s or {} for name, s in _named(plugins) if name == PLUGIN), {})
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(settings) - known - {"enabled", "anki_deck", "nav_group_size", "parallel"})
    if unknown:
        raise ConfigError(f"{path}: study-guide option {unknown[0]!r} is not known; see the README's options")
    return Options(**{k: _resolved(v) for k, v in settings.items() if k in known})


def write_config(site: SiteConfig, target: Path, docs_dir: Path, extra_css: list[str], extra_javascript: list[str]) -> None:
    """Write the configuration of the rendered folder at *target*: the site's own, without our plugin.

    Our stylesheet and script come first, so that the site's own can override them, as the plugin does it.
    """
    data = dict(site.data)
    data["docs_dir"] = os.path.relpath(docs_dir, target.parent)
    data.pop("site_dir", None)  # beside this file, as generators that take no -d option need it
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        data["plugins"] = {k: v for k, v in plugins.items() if k != PLUGIN}
    elif plugins:
        data["plugins"] = [p for p in plugins if (next(iter(p)) if isinstance(p, dict) else p) != PLUGIN]
    data["extra_css"] = extra_css + [c for c in data.get("extra_css") or [] if c not in extra_css]
    data["extra_javascript"] = extra_javascript + [j for j in data.get("extra_javascript") or [] if j not in extra_javascript]
    extensions = [
        {name: settings} if settings is not None else name for name, settings in _named(data.get("markdown_extensions"))
    ]
    named = {name for name, _ in _named(extensions)}
    data["markdown_extensions"] = extensions + [name for name in REQUIRED_EXTENSIONS if name not in named]
    theme = data.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        custom = (site.path.parent / theme["custom_dir"]).resolve()
        data["theme"] = {**theme, "custom_dir": os.path.relpath(custom, target.parent)}
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
    target.write_text(HEADER + text, encoding="utf-8")
