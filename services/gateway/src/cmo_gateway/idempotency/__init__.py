"""Idempotent commands: a POST sent again with the same `Idempotency-Key` is answered once."""
