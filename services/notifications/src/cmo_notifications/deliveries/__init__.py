"""Deliveries: the log of every message to every recipient, and the dispatcher that sends them."""
