"""How big a bank file may be: read by the loader before any YAML is imported."""

# A bank is text written by hand; 8 MiB is ~15,000 items. Past it we refuse before parsing.
MAX_BYTES = 8 * 1024 * 1024
