"""The in-app inbox of each contact."""
