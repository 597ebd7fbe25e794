"""Vocabularies the services share: Georgia's regions and turnover bands."""

from typing import Literal

REGIONS = (
    "Tbilisi",
    "Abkhazia",
    "Adjara",
    "Guria",
    "Imereti",
    "Kakheti",
    "Kvemo Kartli",
    "Mtskheta-Mtianeti",
    "Racha-Lechkhumi and Kvemo Svaneti",
    "Samegrelo-Zemo Svaneti",
    "Samtskhe-Javakheti",
    "Shida Kartli",
)
Region = Literal[REGIONS]  # type: ignore[valid-type]
TurnoverBand = Literal["<100k", "100k-1m", "1m-5m", "5m-20m", ">20m"]
