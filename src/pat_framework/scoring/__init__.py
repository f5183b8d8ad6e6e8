"""The core's scoring and interpreting methods: the `sum` scorer and the `bands` interpreter."""
