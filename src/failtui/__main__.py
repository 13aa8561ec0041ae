"""Allow `python -m failtui`."""

from failtui.cli import main

if __name__ == "__main__":
    main()
