"""The load bench (`scripts/bench_load.py`): our stack and Rasa's starter bot driven by one asyncio load
generator in the same run, whole conversations over REST, signed Twilio webhooks and socket.io.
"""
