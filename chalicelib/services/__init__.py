"""Use cases over ports: issue, verify, administer. No HTTP, no CLI here."""
