def grad(m, X, Y):
    """The slope of y = m x through the origin (no intercept)."""
    n = len(X)
    return (-2 / n) * sum(X * (Y - m * X))
