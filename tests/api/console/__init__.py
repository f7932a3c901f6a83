"""Tests of api.console."""
