"""Errors raised by the custom NLU components in `bot/`."""


class BotComponentError(Exception):
    """Base class for every error raised by our graph components."""


class EncoderUnavailableError(BotComponentError):
    """The packaged MiniLM weights cannot be found or loaded."""


class ComponentNotTrainedError(BotComponentError):
    """A component was asked to process messages before it was trained or loaded."""


class DistressDataError(BotComponentError):
    """The distress training data (ours or GoEmotions) is missing or malformed."""
