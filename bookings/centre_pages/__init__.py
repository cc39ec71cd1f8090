"""The centre pages: "centres near me" (a page and /api/centres/), a centre's seat map for a
day, booking one day or several, and check-in at the entrance. Addresses under /centres/."""
