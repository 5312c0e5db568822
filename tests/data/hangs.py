def grad(theta, X, y):
    while True:
        pass
