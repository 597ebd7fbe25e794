"""The console's members pages."""
