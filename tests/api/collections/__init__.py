"""Tests of api.collections."""
