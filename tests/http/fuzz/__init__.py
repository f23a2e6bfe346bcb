"""The schemathesis run's configuration and hooks (loaded by its CLI, not by pytest)."""
