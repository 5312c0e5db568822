function [J, grad] = costFunctionReg(theta, X, y, lambda)
%COSTFUNCTIONREG Compute cost and gradient for logistic regression with regularization

% Initialize some useful values
m = length(y); % number of training examples

J = 0;
grad = zeros(size(theta));

h = sigmoid(X * theta);
theta_reg = [0; theta(2:end)];   % theta(1) is not regularized

J = (1/m) * sum(-y .* log(h) - (1 - y) .* log(1 - h)) + ...
    (lambda / (2 * m)) * sum(theta_reg .^ 2);

grad = (1/m) * (X' * (h - y)) + (lambda / m) * theta_reg;

end
