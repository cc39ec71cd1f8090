"""The installable app (issue 22, point 4): the web app manifest, the service worker that
keeps the shell and a person's upcoming bookings for when the connection drops, the offline
page, and the clean-up when they sign out.

- views.py: /manifest.webmanifest, /sw.js (its caches named by the static files' version),
  /offline/.
- offline.py: `kept_offline`, the mark on the few pages the service worker may keep (My
  bookings, a centre's check-in page), naming whose they are.
- middleware.py: `Clear-Site-Data` on the answer that signs a person out.
"""
