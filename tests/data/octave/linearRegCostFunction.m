function [J, grad] = linearRegCostFunction(X, y, theta, lambda)
%LINEARREGCOSTFUNCTION Compute cost and gradient for regularized linear
%regression with multiple variables

m = length(y); % number of training examples
J = 0;
grad = zeros(size(theta));

h = X * theta;
J = sum((h - y) .^ 2) / (2 * m);
J += (lambda / (2 * m)) * sum(theta(2:end) .^ 2);

grad = (1/m) * X' * (h - y);
grad(2:end) += (lambda / m) * theta(2:end);

grad = grad(:);
end
