"""docseal: signed results of public services, verifiable from a QR code."""
