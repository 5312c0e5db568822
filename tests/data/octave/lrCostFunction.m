function [J, grad] = lrCostFunction(theta, X, y, lambda)
%LRCOSTFUNCTION Compute cost and gradient for logistic regression with
%regularization
%   J = LRCOSTFUNCTION(theta, X, y, lambda) computes the cost of using
%   theta as the parameter for regularized logistic regression and the
%   gradient of the cost w.r.t. to the parameters.

m = length(y);
J = 0;
grad = zeros(size(theta));

%{
  Hint: the regularized gradient is
    grad = (unregularized gradient for logistic regression)
    temp = theta;
    temp(1) = 0;   % because we don't add anything for j = 0
    grad = grad + YOUR_CODE_HERE (using the temp variable)
%}

h = sigmoid(X * theta);
temp = theta;
temp(1) = 0;
J = (-1 / m) * (y' * log(h) + (1 - y)' * log(1 - h)) + (lambda / (2 * m)) * sum(temp .^ 2);
grad = (1 / m) * X' * (h - y);
grad = grad + (lambda / m) * temp;

grad = grad(:);

end
