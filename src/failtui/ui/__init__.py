"""The Textual user interface: the app factory, its screens and widgets."""
