"""Answers exported by other survey tools: each tool's layout read by an importer, columns
matched to statements, and the reviewed match kept as a map file."""
