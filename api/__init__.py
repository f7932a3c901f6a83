"""Accounts API: debtors, accounts, identity verification and the per-account event record."""
