"""Study guide: turn course notes into a MkDocs site that learners can search and test themselves with.

Parsing (``parse``) and rendering (``render``) know nothing of MkDocs; ``plugin`` is the thin adapter.
"""
