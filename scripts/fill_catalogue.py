"""Merge a dict of translations into a .po catalogue (a maintainer's tool, not run by make).

    python scripts/fill_catalogue.py TEMPLATE.pot OUT.po TRANSLATIONS.py [--locale hi]

TRANSLATIONS.py defines HI = {msgid: msgstr}. Existing translations in OUT.po are kept; msgids no
longer in the template are dropped.
"""

import runpy
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def main(template_path, out_path, translations_path, locale="hi"):
    with open(template_path, "rb") as handle:
        template = read_po(handle)
    try:
        with open(out_path, "rb") as handle:
            existing = {m.id: m.string for m in read_po(handle, locale=locale) if m.id and m.string}
    except FileNotFoundError:
        existing = {}
    new = runpy.run_path(translations_path)["HI"]
    catalog = Catalog(locale=locale, domain=template.domain, project="police-citizen-portal")
    missing = []
    for message in template:
        if not message.id:
            continue
        key = message.id
        text = new.get(key) or existing.get(message.id)
        if not text:
            missing.append(key)
        if isinstance(message.id, tuple) and not text:
            text = ("", "")
        catalog.add(message.id, text or "", context=message.context)
    with open(out_path, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    print(f"{out_path}: {len(catalog)} messages, {len(missing)} untranslated")
    for key in missing:
        print(f"  untranslated: {key!r}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--locale")]
    main(*args)
