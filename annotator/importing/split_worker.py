"""Loaded once by the fork server that starts splitting workers: imports the splitter and
warms its lazy parts (the word-frequency list used at hyphen breaks), so that every worker
forked from it starts ready."""

from annotator.importing.splitting_pool import split_texts

split_texts([("A word broken at a line end: bil-\nlions.", True)], 600)
