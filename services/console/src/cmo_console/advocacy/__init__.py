"""The console's advocacy pages."""
