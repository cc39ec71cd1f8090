"""When each content page last changed, by URL name: the page's "Last updated" line and the
sitemap's lastmod both read it. Change a page's date in the commit that changes its text."""

from datetime import date

LAST_UPDATED = {
    "about": date(2026, 12, 7),
    "terms": date(2026, 12, 7),
    "accessibility": date(2026, 12, 7),
    "contact": date(2026, 12, 7),
}
