"""Scheduled jobs of the delivery log."""

from datetime import UTC, datetime, timedelta

from cmo_shared.feature import Job

from .repository import DeliveryRepository


def pruning_job(deliveries: DeliveryRepository, retention_s: float) -> Job:
    """Delivery records and their log older than the retention are removed, hourly."""
    retention = timedelta(seconds=retention_s)

    async def prune() -> int:
        return await deliveries.prune(datetime.now(UTC) - retention)

    return Job("delivery-pruning", 3600, prune)
