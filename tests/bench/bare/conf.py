"""The baseline for `make bench`: a bare Sphinx + furo build of the same sources.

Only what is needed to read MyST files; none of the guide's own extensions,
templates or settings. Directives it does not know are dropped with a warning.
"""

project = "Heroin Addiction: A Plain Guide"
extensions = ["myst_parser"]
html_theme = "furo"
suppress_warnings = ["myst"]
