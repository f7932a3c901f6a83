"""The Rasa server's channels (credentials.yml loads `channels.<module>.<Class>`).

Importing the package also speeds up Rasa's check of action server responses (channels/action_results.py),
so the Rasa server gets it whichever channel it loads first.
"""

from channels import action_results

action_results.install()
