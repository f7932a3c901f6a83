"""Tests of api.webchat."""
