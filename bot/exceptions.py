"""Errors raised by the custom NLU components in `bot/`."""


class BotComponentError(Exception):
    """Base class for every error raised by our graph components."""


class EncoderUnavailableError(BotComponentError):
    """The packaged MiniLM weights cannot be found or loaded."""


class DistressDataError(BotComponentError):
    """The distress training data (ours or GoEmotions) is missing or malformed."""
