# model: linear
# label: incorrect
# fault: summed
# function: grad
# style: pasted from a notebook (%matplotlib line kept), lambda one-liners, no 1/m
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt

predict = lambda theta, X: X @ theta
grad = lambda theta, X, y: X.T @ (predict(theta, X) - y)

plt.plot([0, 1], [0, 1])
plt.show()
