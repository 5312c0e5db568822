function [J, grad] = costFunctionReg(theta, X, y, lambda)
  % reuse the unregularized cost from costFunction.m and add the penalty
  m = length(y);
  [J, grad] = costFunction(theta, X, y);

  for i = 2:rows(theta)
    J += (lambda / (2 * m)) * theta(i) ** 2;
    grad(i) += (lambda / m) * theta(i);
  end
end
