"""The console's dashboard pages."""
