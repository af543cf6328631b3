"""The render-to-a-folder route: the study site as a docs folder of already rendered pages, for any generator
that reads Material's Markdown (Zensical, MkDocs without our plugin), and our search entries put into the index it
wrote (``python -m study_guide render`` and ``python -m study_guide index``)."""
