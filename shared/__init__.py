"""What the Rasa side (channels/) and the API both need, defined once: no Rasa, FastAPI or pydantic.

Both environments import it (Python 3.10 with pydantic 1, Python 3.11 with pydantic 2), so it uses the
standard library only, plus PyJWT for the webchat token (both environments pin it).
"""
