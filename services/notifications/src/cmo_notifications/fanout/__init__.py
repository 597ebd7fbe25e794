"""The fan-out: each event to the recipients its rule names, on their chosen channels."""
