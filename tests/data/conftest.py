"""The files here are users' gradient code, run by the tests only in a separate process: never collect them."""

collect_ignore_glob = ["*.py"]
