"""Versioned graph-model migrations (``NNNN_name.cypher`` files), applied in order.

Numbering by area keeps concurrent work from colliding: 0001-0099 core model,
0100-0199 loaders, 0200-0299 API, 0300-0399 scoring and alerts.
"""
