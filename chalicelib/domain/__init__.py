"""Pure core of docseal: no I/O, no clock, no AWS, no image libraries."""
