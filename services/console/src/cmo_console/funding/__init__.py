"""The console's funding pages."""
