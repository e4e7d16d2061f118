"""The `gate.json` document and everything read from it: building and storing the document,
the queries behind `survivors` and `show`, and the writers that render it in each format.
"""
