"""The runtime: the plugin manager (`plugins`), the entry-point reader (`entry_points`),
the registry that plugins fill (`registry`) and the read-score-interpret-analyse
`pipeline`."""
