"""Pure-Python personal-data helpers shared by the API and the bot (no dependencies: both envs import it)."""
