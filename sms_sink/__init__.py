"""A local stand-in for Twilio's SMS API, for development without a Twilio account.

The API's worker sends through the real twilio client pointed at it (TWILIO_API_BASE_URL); it records
what would have gone to a phone, reports delivery to the StatusCallback as Twilio does, and its page at /
lets a person text the bot as a phone would (a signed webhook to Rasa's Twilio channel). Standard library
and Jinja2 only, so both Python environments (the bot's and the API's) can import it; the tests' fake
Twilio is this sink with failure injection added (tests/fakes/twilio_server.py).

    python -m sms_sink --port 8025        the sink (idles unless TWILIO_API_BASE_URL points at it)
    python -m sms_sink.demo "hi"          text the bot through the running sink, print its replies
"""
