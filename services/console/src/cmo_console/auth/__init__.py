"""The console's auth pages."""
