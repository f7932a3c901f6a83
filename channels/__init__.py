"""The Rasa server's channels (credentials.yml loads `channels.<module>.<Class>`).

Importing the package also speeds up Rasa's check of action server responses (channels/action_results.py),
so the Rasa server gets it whichever channel it loads first; and makes every action the action server
could not serve noted in the running turn, for the channels' fixed reply and handoff (channels/turns.py).
"""

from channels import action_results, turns

action_results.install()
turns.install()
