"""Reading the shared CSV/TSV files without pandas turning a comment that reads "NA" or "null" into NaN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd


def read_table(path: Path, text_columns: list[str], **kwargs: Any) -> pd.DataFrame:
    """Read a delimited file; `text_columns` keep every value verbatim (an empty cell is "")."""
    frame = pd.read_csv(path, **kwargs)
    raw = pd.read_csv(path, usecols=text_columns, keep_default_na=False, dtype=str, **kwargs)
    for column in text_columns:
        frame[column] = raw[column].astype(str)
    return frame


def with_text(frame: pd.DataFrame, text_column: str, split: str | pd.Series) -> pd.DataFrame:
    """Rename the dataset's text column to `text` and set `split`, leaving the label columns as they are."""
    frame = frame.rename(columns={text_column: "text"})
    frame["split"] = split
    return frame
