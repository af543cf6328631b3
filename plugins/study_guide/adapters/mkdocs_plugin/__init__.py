"""The MkDocs plugin (``study-guide`` in ``mkdocs.yml``); ProperDocs loads it too."""
