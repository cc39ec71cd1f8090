"""The waitlist: people waiting for a seat at a full centre on a day, the offers made to them
when seats free, and taking an offer. Pages under /waitlist/."""
