"""Configuration, database and security primitives."""
