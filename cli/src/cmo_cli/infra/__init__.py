"""Local infrastructure as plain processes: Kafka (KRaft), FerretDB and an SMTP sink."""
