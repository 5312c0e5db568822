function [J, grad] = linearRegCostFunction(X, y, theta, lambda)
m = size(X, 1);
err = y - X * theta;
J = (err' * err) / (2 * m) + (lambda / (2 * m)) * sum(theta(2:end) .^ 2);
grad = (1/m) * X' * err;
grad(2:end) = grad(2:end) + (lambda / m) * theta(2:end);
end
