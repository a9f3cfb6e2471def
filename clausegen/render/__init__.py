"""Render: finished documents → bytes (DOCX, prepared fast path, PDF, annex) and files on disk.
Imports the steps before it, documents' types included; never writes a document's content."""
