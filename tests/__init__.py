from pathlib import Path

# The project's root folder: the tests that read its files or run its commands start here.
ROOT_DIR = Path(__file__).resolve().parent.parent
