"""Loaded once by the fork server that starts splitting workers: imports the splitter and
warms its lazy parts (the word-frequency list used at hyphen breaks), so that every worker
forked from it starts ready."""

from annotator.splitting import split_document

split_document("A word broken at a line end: bil-\nlions.")
