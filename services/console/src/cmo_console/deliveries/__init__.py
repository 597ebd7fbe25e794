"""The console's deliveries pages."""
