"""The business core of Tasklane: entities, value objects, ports and errors; no frameworks."""
