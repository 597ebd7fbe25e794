"""Daily digests of low-priority email, at each contact's hour."""
