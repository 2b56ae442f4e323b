"""Every `voice.*` setting resolved in one place, and the repository's own files: conventions, hotwords, templates."""
