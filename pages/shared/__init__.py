"""What the pages share: the filters (made by app.py, kept in the URL), the cached reads of
the store, the page set-up, and the widgets every page draws with.

A folder, not a file, so that Streamlit never lists it as a page.
"""
