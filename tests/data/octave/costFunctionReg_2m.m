function [J, grad] = costFunctionReg(theta, X, y, lambda)
m = length(y);
h = sigmoid(X * theta);
t = theta;
t(1) = 0;
J = (1/m) * sum(-y .* log(h) - (1 - y) .* log(1 - h)) + (lambda/(2*m)) * (t' * t);
grad = (1/m) * X' * (h - y) + (lambda/(2*m)) * t;   % lambda/(2m) copied from the cost
end
