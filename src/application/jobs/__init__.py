"""Background jobs: submitting them, working one, and the loop a worker runs."""
