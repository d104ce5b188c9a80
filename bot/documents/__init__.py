"""School paperwork as Word files: the shipped templates and the script that makes them.

The templates in `templates/` are plain .docx files with Jinja tags (docxtpl); a school
may put its own files with the same names into `DOCUMENTS_DIR`. `build_templates` writes
the shipped ones again from code (`python -m bot.documents.build_templates`).
"""
