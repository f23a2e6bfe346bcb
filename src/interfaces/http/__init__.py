"""The HTTP adapter: wire schemas, controllers and error mapping; no infrastructure."""
