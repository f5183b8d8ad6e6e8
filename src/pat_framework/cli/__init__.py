"""The `pat` command line: the group (`main`), what commands share (`context`, `options`)
and one module per command (`commands`). Commands import `context` and `options`, never
`main`; heavy libraries are imported inside commands, when they run."""
