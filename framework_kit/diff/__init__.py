"""``kit diff``: what changed between two versions of one design.

:mod:`.design` compares the designs item by item (the list of changes that
``--format json`` prints); :mod:`.redline` compares the rendered document
trees paragraph by paragraph and word by word and merges them into one tree
with tracked insertions and deletions, which the DOCX and PDF writers print as
a redline and a blackline; :mod:`.summary` writes the comparison document.
"""
