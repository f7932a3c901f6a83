"""Tests of api.staff."""
