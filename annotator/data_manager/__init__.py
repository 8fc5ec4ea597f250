"""The data manager: what a project holds, for its reviewers and admins. Its documents listed
and sorted, its passages searched and filtered, a document with its passages and labels (read
only; corrections are annotator.curation's)."""
