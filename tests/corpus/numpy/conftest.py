"""The files here are users' gradient code, run only in a separate process by tests/test_corpus_numpy.py: never collect them."""

collect_ignore_glob = ["*.py"]
