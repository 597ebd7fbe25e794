"""The routing table, who may call what, and forwarding to the services."""
