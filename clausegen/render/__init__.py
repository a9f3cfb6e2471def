"""Turning composed documents into files: DOCX (docxtpl), later PDF and annexes."""
