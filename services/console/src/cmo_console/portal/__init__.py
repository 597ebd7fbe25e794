"""The console's portal pages."""
