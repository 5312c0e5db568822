function [J, grad] = costFunction(theta, X, y)
  m = size(X, 1);
  z = X * theta;
  h = 1 ./ (1 + e .^ -z);   # Octave: e and # comments, no sigmoid.m needed
  J = -(1/m) * (y' * log(h) + (1 - y)' * log(1 - h));
  grad = ((h - y)' * X)' / m;
end
