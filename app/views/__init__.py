"""Thin HTTP layers: portal (citizen HTML), health, dev tools, admin (Flask-Admin)."""
