"""The console's fees pages."""
