"""Curation: what admins change in a project's data after import (corrections to passages and
documents, withdrawing and removing documents, archiving projects), each recorded as an event."""
