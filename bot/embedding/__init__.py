"""Sentence embeddings: all-MiniLM-L6-v2 in compiled length buckets (minilm), the on-disk embedding cache
used in training (cache), and the NLU featurizer that hands the embedding to DIET (featurizer).

Imports only bot.exceptions.
"""
