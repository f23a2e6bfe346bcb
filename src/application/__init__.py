"""Use cases of Tasklane: each runs inside one unit of work. Depends on the domain only."""
