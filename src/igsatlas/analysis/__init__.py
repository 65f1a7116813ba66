"""Analysis of the patchwork: fit with the reference regions, layer agreement, fragmentation, gaps, network.

Everything works on a Landscape (plain in-memory data for one day), so the same code measures Flanders from
the register and a generated landscape of any size.
"""
