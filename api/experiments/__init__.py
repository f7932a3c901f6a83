"""Experiments: A/B/n tests of a bot response, assigned per conversation, judged on insights' outcomes.

Imports api.core only so far (the NLG hook, router and console pages are still to come).
"""

__all__ = ["assignment", "exceptions", "models", "stats"]
