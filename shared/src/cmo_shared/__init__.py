"""Shared kernel of the CMO platform: event contracts and messaging plumbing, never run alone."""
