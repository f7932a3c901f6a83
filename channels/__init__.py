"""The Rasa server's channels (credentials.yml loads `channels.<module>.<Class>`).

Importing the package loads nothing else: the faster check of action server responses
(channels/action_results.py, which imports Rasa and so TensorFlow) and the noting of actions the action
server could not serve, for the channels' fixed reply and handoff (channels/turns.py), are installed by the
Rasa server's launcher (channels/serve.py), not by whoever imports a channel module.
"""
