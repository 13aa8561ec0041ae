"""failtui: practise the interview question "What is your biggest failure?" in the terminal."""

__version__ = "0.1.0"
