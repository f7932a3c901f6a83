"""Distress: the NLU component that scores each message (detector), its head and training (head, training,
data), the crisis tiers (crisis), reading the answer to the crisis check-in (check_in) and the
conversation-level escalation shared with the actions (escalation).

Imports bot.embedding and bot.exceptions.
"""
