"""Courses: the package format, authoring, versions and the catalogue."""
