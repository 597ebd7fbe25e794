"""Refresh the console's message catalogues from the sources (run from `services/console`).

`uv run python scripts/catalogues.py` extracts every `_()` / `N_()` text of the pages into both
catalogues, keeping the translations they have; a new text shows up untranslated in
`locales/ka/LC_MESSAGES/console.po` (and the catalogue test names it) until it is translated.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "src" / "cmo_console" / "locales"
METHODS = [("src/**.py", "python"), ("src/cmo_console/templates/**.html", "jinja2")]


def main() -> None:
    """Rewrite both catalogues with every text of the sources, in order of appearance."""
    texts = list(dict.fromkeys(m[2] for m in extract_from_dir(str(ROOT), METHODS)))
    for language in ("ka", "en"):
        path = LOCALES / language / "LC_MESSAGES" / "console.po"
        with path.open("rb") as po:
            known = {m.id: m.string for m in read_po(po) if m.id}
        catalog = Catalog(
            locale=language,
            project="CMO console",
            domain="console",
            fuzzy=False,
            header_comment=f"# The CMO console's pages in {language} (scripts/catalogues.py).",
        )
        for text in texts:
            if isinstance(text, str):
                catalog.add(text, known.get(text, ""))
        with path.open("wb") as po:
            write_po(po, catalog, no_location=True, width=100)


if __name__ == "__main__":
    main()
