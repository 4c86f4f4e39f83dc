"""Run the command line with ``python -m conflictkg``."""

from conflictkg.cli import app

__all__: list[str] = []

if __name__ == "__main__":
    app(prog_name="conflictkg")
