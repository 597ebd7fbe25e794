"""Webhook endpoints of member companies and integrations, signed per Standard Webhooks."""
