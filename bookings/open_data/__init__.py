"""The network's open data: /open-data/ for anyone, and its CSV and JSON files."""
