"""Errors of the channel connectors.

Hierarchy:
    ChannelError                base of everything below
    ├── ChannelConfigError      credentials missing or not expanded: raised at startup, never at a request
    └── MessagingApiError       the accounts API could not store or queue a message (down, slow, 5xx)
"""


class ChannelError(Exception):
    """Base class for every error a channel raises on purpose."""


class ChannelConfigError(ChannelError, ValueError):
    """A channel cannot start with the credentials it was given."""


class MessagingApiError(ChannelError):
    """The accounts API did not accept a message."""
