"""Tests of api.accounts."""
