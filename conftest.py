import os

# The test suite is a developer's process: a fixed dev secret key and DEBUG-free settings.
os.environ.setdefault("NASTAVNIK_DEV", "1")
