"""Render the app's icons (static/icons/*.png) from the SVGs we draw beside them.

    .venv/bin/python scripts/render_icons.py

Debian's Chromium draws them (through Playwright, as the browser tests do): no image
library to install. Run it after changing icon.svg or icon-maskable.svg, and commit the PNGs.
"""

import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
# (source, size, output): the manifest's icons, and the one iOS puts on the home screen.
RENDERS = [
    ("icon.svg", 192, "icon-192.png"),
    ("icon.svg", 512, "icon-512.png"),
    ("icon-maskable.svg", 512, "icon-maskable-512.png"),
    ("icon-maskable.svg", 180, "apple-touch-icon.png"),
]


def main() -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for source, size, output in RENDERS:
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = f'<svg width="{size}" height="{size}" '
            svg = (ICONS / source).read_text().replace("<svg ", sized, 1)
            page.set_content(f'<body style="margin:0">{svg}</body>')
            page.screenshot(path=str(ICONS / output), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
