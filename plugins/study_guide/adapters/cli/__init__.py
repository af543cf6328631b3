"""The command line: ``python -m study_guide check``, ``align``, ``export anki``, ``render`` and ``index`` (the last two
run the docs-folder adapter)."""
