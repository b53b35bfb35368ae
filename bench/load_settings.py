"""Settings of the load benchmark's server: the product's, plus one bench-only URL (a minimal
signed-in view, the baseline every page is compared with). Never used by the product."""

from nastavnik.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
