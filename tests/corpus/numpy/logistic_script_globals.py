# model: logistic
# label: correct
# function: gradient
# style: a course script: loads its data at the top, gradient(theta) reads X, y and m from the module (scipy.optimize style)
import numpy as np
import scipy.optimize as opt

data = np.loadtxt("ex2data1.txt", delimiter=",")
X = np.c_[np.ones(data.shape[0]), data[:, :2]]
y = data[:, 2]
m = len(y)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def cost(theta):
    h = sigmoid(X @ theta)
    return -(y @ np.log(h) + (1 - y) @ np.log(1 - h)) / m


def gradient(theta):
    return X.T @ (sigmoid(X @ theta) - y) / m


result = opt.minimize(cost, np.zeros(X.shape[1]), jac=gradient, method="BFGS")
print(result.x)
