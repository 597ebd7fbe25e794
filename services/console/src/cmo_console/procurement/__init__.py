"""The console's procurement pages."""
