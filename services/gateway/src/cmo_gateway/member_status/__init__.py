"""Each member company's status, kept from the members service's events."""
