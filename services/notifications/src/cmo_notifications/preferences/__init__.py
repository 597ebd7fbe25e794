"""Each contact's channel choices per topic, quiet hours, digest, and one-click unsubscribe."""
