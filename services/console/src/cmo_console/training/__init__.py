"""The console's training pages."""
