"""Tests of api.core."""
