"""Tests of api.portal."""
