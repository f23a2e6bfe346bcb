"""Fault tests against a PostgreSQL cluster of their own: outages, exhaustion, retries."""
