"""briefing's built-in templates, stylesheets and fonts.

This folder is installed as the package `briefing.templates` (see pyproject.toml), so an
installed briefing finds its templates with importlib.resources wherever it is installed.
"""
