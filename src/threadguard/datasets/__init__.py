"""Loaders for the labelled datasets in ../shared/data, their licences, and overlap removal."""

from threadguard.datasets.dedupe import dedupe_key, drop_overlaps
from threadguard.datasets.loaders import LOADERS, load
from threadguard.datasets.location import resolve_data_dir
from threadguard.datasets.registry import PERMITTED_LICENCES, REGISTRY, DatasetInfo
from threadguard.datasets.toxic_spans import drop_semeval_eval_texts

__all__ = [
    "LOADERS",
    "PERMITTED_LICENCES",
    "REGISTRY",
    "DatasetInfo",
    "dedupe_key",
    "drop_overlaps",
    "drop_semeval_eval_texts",
    "load",
    "resolve_data_dir",
]
