"""Allow `python -m failtui`."""

from failtui.launch import main

if __name__ == "__main__":
    main()
