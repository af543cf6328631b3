"""The command line: ``python -m study_guide check``, ``align``, ``export anki``."""
