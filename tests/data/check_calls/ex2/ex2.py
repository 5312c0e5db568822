import numpy as np

# ex2: load the data (exam scores and admission decision)
data = np.loadtxt('ex2data1.txt', delimiter=',')
X = data[:, 0:2]
y = data[:, 2]
m, n = X.shape
X = np.concatenate([np.ones((m, 1)), X], axis=1)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def costFunction(theta, X, y):
    m = y.size
    h = sigmoid(X.dot(theta))
    J = -(1 / m) * (np.log(h).dot(y) + np.log(1 - h).dot(1 - y))
    grad = (1 / m) * X.T.dot(h - y)
    return J, grad


initial_theta = np.zeros(n + 1)
cost, grad = costFunction(initial_theta, X, y)
print('Cost at initial theta (zeros): {:.3f}'.format(cost))
print('Gradient at initial theta (zeros):', grad)
