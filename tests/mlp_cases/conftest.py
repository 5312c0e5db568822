"""Users' backprop functions (the suite of tests/test_mlp_check.py), run only in the box: never collect them."""

collect_ignore_glob = ["*.py"]
