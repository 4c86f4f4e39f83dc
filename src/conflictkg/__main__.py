"""Run the command line with ``python -m conflictkg``."""

from conflictkg.cli import run

__all__: list[str] = []

if __name__ == "__main__":
    run()
