"""Tests of api.compliance."""
