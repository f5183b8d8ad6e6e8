"""`python -m pat_framework`: the same as the `pat` command."""

from pat_framework.cli.main import main

if __name__ == "__main__":
    main()
