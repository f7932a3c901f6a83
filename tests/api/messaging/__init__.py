"""Tests of api.messaging."""
