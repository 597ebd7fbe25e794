"""The audit log of every state-changing request."""
