"""A user's derivation: extract its chains, read each side, verify each step, recognise rules, diagnose slips."""

from .verifier import DEFINITION, NOT_UNDERSTOOD, ProofReport, ProofStep, Unreadable, clear_caches, verify_text

__all__ = ["DEFINITION", "NOT_UNDERSTOOD", "ProofReport", "ProofStep", "Unreadable", "clear_caches", "verify_text"]
