"""The pages a Kerala government site must have (GIGW 3.0): about, terms of use, the
accessibility statement, contact with its feedback form. They belong to the portal as a
whole, not to an app: they read no app's data. The privacy notice is the people's
(accounts/notice.py) and the sitemap, which lists every app's public pages, sits on top
(wnh/sitemaps.py)."""
