"""Accounts: users, invitations, integrations, sign-in and sessions."""
