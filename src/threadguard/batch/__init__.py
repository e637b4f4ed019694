"""Batch scoring at crawl scale: `threadguard batch IN... --out OUT`.

Inputs are read as a stream of rows, grouped into fixed-size chunks, scored by a pool of workers (local
processes or Ray Data actors) and committed one chunk at a time, so that an interrupted run continues
where it stopped and the merged output is the same bytes whatever the engine or worker count.
"""
