"""The web console: server-rendered pages for CMO staff and member users, over the gateway."""
