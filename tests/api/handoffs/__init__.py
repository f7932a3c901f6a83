"""Tests of api.handoffs."""
