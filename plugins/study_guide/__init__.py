"""Study guide: turn course notes into a study site that learners can search and test themselves with.

``core`` reads notes, models lessons and renders them, and knows nothing of any site generator;
``adapters`` hold the ways in: the MkDocs plugin (``adapters.mkdocs_plugin``) and the command line
(``adapters.cli``). Arrows run from the adapters to the core, never back (``tests/test_layout.py``).
"""
