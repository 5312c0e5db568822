import numpy
def sig(z):
return 1/(1+np.e**-(z))


def compute_grad(X, y, w):
    m = X.shape[0]
    Z = w.dot(X.T)
    A = sig(Z)
    return  (-1/ m) * (X.T * (A - y)).sum(axis=1) 
