"""Every word the console shows has a Georgian translation, and the catalogues compile."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from cmo_console.i18n import LOCALES, translations

ROOT = Path(__file__).resolve().parents[1]


def _extracted() -> set[str]:
    method_map = [("src/**.py", "python"), ("src/cmo_console/templates/**.html", "jinja2")]
    return {m[2] for m in extract_from_dir(str(ROOT), method_map) if isinstance(m[2], str)}


def test_every_message_of_the_pages_has_a_georgian_translation() -> None:
    with (LOCALES / "ka" / "LC_MESSAGES" / "console.po").open("rb") as po:
        georgian = {m.id: m.string for m in read_po(po) if m.id}
    words = _extracted()
    assert len(words) > 100
    missing = sorted(w for w in words if not georgian.get(w))
    assert missing == [], f"add to locales/ka/LC_MESSAGES/console.po: {missing}"


def test_the_catalogues_compile_and_translate() -> None:
    assert translations("ka").gettext("Sign in") == "შესვლა"
    assert translations("en").gettext("Sign in") == "Sign in"
