"""Tests of api.privacy."""
