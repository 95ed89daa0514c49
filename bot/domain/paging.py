"""Pages of rows that fit Slack's limits (50 blocks in a message, 100 in a modal or the App Home).
Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

MESSAGE_BLOCKS = 50
"""Slack's most blocks in a message."""
VIEW_BLOCKS = 100
"""Slack's most blocks in a modal or the App Home."""

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    number: int
    """1-based; an out-of-range request lands on the nearest page."""
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def rows_per_page(limit: int = MESSAGE_BLOCKS, reserved: int = 4, blocks_per_row: int = 1) -> int:
    """How many rows fit a surface of ``limit`` blocks with ``reserved`` of them for the header,
    the page buttons and such."""
    if blocks_per_row < 1 or limit - reserved < blocks_per_row:
        raise ValueError("not even one row fits")
    return (limit - reserved) // blocks_per_row


def paginate(rows: Sequence[T], page: int, size: int) -> Page[T]:
    if size < 1:
        raise ValueError("a page holds at least one row")
    pages = max(1, ceil(len(rows) / size))
    number = min(max(page, 1), pages)
    start = (number - 1) * size
    return Page(tuple(rows[start : start + size]), number, pages, len(rows))
