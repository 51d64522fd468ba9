"""Shared by all test folders: pytester, to run our pytest plugin in an inner session."""

pytest_plugins = ["pytester"]
