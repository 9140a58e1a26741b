"""One subpackage or module per outside standard, each mapping the catalogue to or from it.

The converters are listed in `registry.py` (name -> reader and/or writer); the import and
export loops they share are `importing.py` and `exporting.py`. Values shared by every
importer (dates, names, agencies, countries) are in `migrmeta.values`.
"""
