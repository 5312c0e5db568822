"""The shared vocabulary: notation, the ML functions, plain step data, the model catalog."""
