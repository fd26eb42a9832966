"""Rendering: design -> templates -> document tree -> writers (DOCX, PDF)."""
