"""The dialogue policies (not the creditor's offer policy, which is api.collections.offer_policy):
DistressPolicy (tone, crisis support, the check-in) and HandoffPolicy (silence while a person owns the
conversation).

Imports bot.distress.
"""
