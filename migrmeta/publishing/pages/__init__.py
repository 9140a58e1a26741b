"""The site's pages in three languages: `build.site_files` gives every file (see build.py)."""
