function [theta, J_history] = gradientDescent(X, y, theta, alpha, num_iters)
%GRADIENTDESCENT ex1's single-variable version: theta(1), theta(2) and X(:,2) written out
m = length(y); % number of training examples
J_history = zeros(num_iters, 1);
for iter = 1:num_iters
    h = X * theta;
    temp1 = theta(1) - alpha * (1 / m) * sum(h - y);
    temp2 = theta(2) - alpha * (1 / m) * sum((h - y) .* X(:, 2));
    theta = [temp1; temp2];
end
end
