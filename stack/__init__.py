"""The one definition of how the services start: the Procfile's commands, run with one env file's values.

`make run`, the integration and browser tests and the benches all start services through this package, so
what they test is what a user runs. Standard library only: both Python environments import it.
"""
