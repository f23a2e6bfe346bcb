"""One module per aggregate; every function is one use case and one unit of work."""
