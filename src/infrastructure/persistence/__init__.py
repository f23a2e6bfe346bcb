"""Persistence implementations: in-memory and SQLAlchemy, interchangeable."""
