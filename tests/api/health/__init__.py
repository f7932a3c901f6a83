"""Tests of api.health."""
