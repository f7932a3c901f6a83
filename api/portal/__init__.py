"""Portal: the payment page a payment link opens, its card form and the payment-link route for the bot.

Imports api.core, api.accounts and api.collections.
"""

__all__ = ["router"]
