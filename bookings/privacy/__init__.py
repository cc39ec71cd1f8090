"""A person's data: the history of their bookings in words (and K-DISC's export of it), their
data to download, erasing an account, and the retention that erases old ones."""
