"""Two-layer networks: the network as data (:mod:`.network`), backpropagation derived step by step
(:mod:`.backprop`), its NumPy kernel (:mod:`.kernel`), and the checker of users' backprop code
(:mod:`.check`, :mod:`.faults`).  Nothing is imported here, so ``import derivation`` stays light.
"""
