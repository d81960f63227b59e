"""Services: what the ``qa`` commands do, as plain functions over a database session.

The CLI only parses arguments, calls one of these and prints the result.
"""
