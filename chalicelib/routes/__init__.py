"""HTTP routes, as Chalice blueprints registered by ``app.py``."""
