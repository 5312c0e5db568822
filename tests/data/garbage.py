def grad(theta, X, y):
    return "the gradient"


def nothing(theta, X, y):
    theta = theta * 2
