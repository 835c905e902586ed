"""Run finsim as ``python -m finsim``."""

from finsim.cli import main

if __name__ == "__main__":
    main()
