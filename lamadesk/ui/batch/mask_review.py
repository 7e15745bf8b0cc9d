"""Per-file masks a person reviews after a batch search, shared by every such search.

After "Find shared watermark" or "Find text in all", each file of the list has a mask the
search found; opening the file shows it as the editable mask, and brush or eraser edits are
remembered as that file's correction (packed one bit a pixel, so brushing hundreds of large
photos stays cheap). `OpenMaskTracker` follows the open image for whichever review is on;
`Corrections` keeps what it remembered.

Only the mask of the file as opened is tracked: once the open image itself is edited (a
removal with Enter), later mask changes are not taken as corrections, because the batch
works on the file on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QRect, Slot

from lamadesk.ui.batch.batch_panel import BatchPanel
from lamadesk.ui.canvas.commands import MaskEditCommand, mask_tiles
from lamadesk.ui.canvas.document import Document, rect_slices
from lamadesk.ui.status_bar import Wording


class Finding(Enum):
    """What a batch search says about one file of the list."""

    FOUND = "found"
    NOT_FOUND = "not found"
    UNREADABLE = "unreadable"
    NOT_SEARCHED = "not searched"
    """Added to the list after the search (or not reached before it was cancelled)."""


def included_by_default(finding: Finding) -> bool | None:
    """Whether a file is cleaned unless the person says otherwise (None: it cannot be)."""
    if finding in (Finding.UNREADABLE, Finding.NOT_SEARCHED):
        return None
    return finding is Finding.FOUND


def replace_mask(document: Document, mask: np.ndarray, undo_text: str | None) -> None:
    """Make `mask` the document's mask; one undo step named `undo_text`, or none if None."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    wanted = QRect()
    if rows.size:
        wanted = QRect(
            int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)
        )
    before, after = mask_tiles(document, mask, document.mask_bounding_rect().united(wanted))
    if not before:
        return
    command = MaskEditCommand(document, undo_text or "", before, after, None)
    if undo_text is None:
        command.redo()
    else:
        document.undo_stack.push(command)


@dataclass(frozen=True, eq=False)
class PackedMask:
    """An (H, W) bool mask at one bit a pixel."""

    shape: tuple[int, int]
    bits: np.ndarray

    @classmethod
    def pack(cls, mask: np.ndarray) -> PackedMask:
        return cls((mask.shape[0], mask.shape[1]), np.packbits(mask, axis=None))

    def unpack(self) -> np.ndarray:
        count = self.shape[0] * self.shape[1]
        return np.unpackbits(self.bits, count=count).reshape(self.shape).astype(bool)


class Corrections:
    """The masks a person corrected, keyed by file."""

    def __init__(self) -> None:
        self._masks: dict[Path, PackedMask] = {}

    def get(self, path: Path, shape: tuple[int, int]) -> np.ndarray | None:
        """The correction of `path` if it has one of this shape."""
        packed = self._masks.get(path)
        return packed.unpack() if packed is not None and packed.shape == shape else None

    def remember(self, path: Path, mask: np.ndarray, detected: np.ndarray) -> bool:
        """Keep `mask` as the correction of `path` unless it equals `detected`.

        Returns:
            Whether `path` now counts as corrected.
        """
        if np.array_equal(mask, detected):
            self._masks.pop(path, None)
            return False
        self._masks[path] = PackedMask.pack(mask)
        return True

    def __contains__(self, path: Path) -> bool:
        return path in self._masks

    def unpacked(self, only: Sequence[Path] | None = None) -> Mapping[Path, np.ndarray]:
        """The corrections (of the files in `only`, when given) as (H, W) bool masks."""
        return {
            path: packed.unpack()
            for path, packed in self._masks.items()
            if only is None or path in only
        }


class ReviewedMasks(Protocol):
    """What a review offers the tracker, per file of its search."""

    def mask(self, path: Path, shape: tuple[int, int]) -> np.ndarray:
        """The mask to show: the person's correction, else the one found."""

    def remember(self, path: Path, mask: np.ndarray) -> bool:
        """Keep `mask` as the correction of `path`; whether it now counts as corrected."""

    def is_corrected(self, path: Path) -> bool: ...


def show_rows(
    panel: BatchPanel,
    shown: set[Path],
    status: Callable[[Path], Wording],
    included: Callable[[Path], bool | None],
) -> None:
    """Word every row of the list, and check the rows the review has not checked before.

    Args:
        panel: The batch list.
        shown: Files whose check box the review has set (later the person's choice stands);
            updated.
        status: A file's status, worded when shown.
        included: Whether a file is cleaned by default; None: it cannot be (no check box).
    """
    for path in panel.paths():
        panel.set_status(path, status(path))
        default = included(path)
        if default is None:
            panel.set_included(path, None)
        elif path not in shown:
            panel.set_included(path, default)
            shown.add(path)


class OpenMaskTracker(QObject):
    """Shows a reviewed file's mask on the open image and remembers the person's edits of it.

    A file the person corrects gets checked (correcting a file means keeping it).

    Args:
        document: The open image.
        panel: The batch list, whose rows it checks.
        open_file: Opens a listed file in the canvas (asking about unsaved edits).
        refresh: Words the rows again (a file's "corrected by hand" came or went).
        parent: Owner of the tracker.
    """

    def __init__(
        self,
        document: Document,
        panel: BatchPanel,
        open_file: Callable[[Path], None],
        refresh: Callable[[], None],
        parent: QObject | None,
    ) -> None:
        super().__init__(parent)
        self._document, self._panel = document, panel
        self._open_file, self._refresh = open_file, refresh
        self._review: ReviewedMasks | None = None
        self._tracked: tuple[Path, int, np.ndarray] | None = None
        """(file, pixels version, mask) of the open image while its mask is reviewed."""
        document.opened.connect(self._on_opened)
        document.mask_changed.connect(self._on_mask_changed)

    def follow(self, review: ReviewedMasks | None) -> None:
        """Track the open image for `review` from now on (None: for no review)."""
        self._review, self._tracked = review, None

    def open(self, path: Path) -> None:
        """Open a listed file; mask-only edits of a reviewed image are kept, so no question."""
        document, tracked = self._document, self._tracked
        if (
            tracked is not None
            and tracked[0] == document.path
            and tracked[1] == document.pixels_version
            and not document.changed_mask().any()
        ):
            self.remember()
            document.undo_stack.setClean()
        self._open_file(path)

    def show(self, undo_text: str | None) -> None:
        """Make the review's mask of the open image its mask, and track it from then on."""
        review, document = self._review, self._document
        assert review is not None
        assert document.path is not None
        mask = review.mask(document.path, (document.height, document.width))
        self._tracked = (document.path, document.pixels_version, mask.copy())
        replace_mask(document, mask, undo_text)

    def remember(self) -> None:
        """Store the tracked image's mask as its correction (or drop one equal to the found)."""
        tracked, review = self._tracked, self._review
        if tracked is None or review is None:
            return
        path = tracked[0]
        was = review.is_corrected(path)
        now = review.remember(path, tracked[2])
        if now and not was:
            self._panel.set_included(path, True)
        if now != was:
            self._refresh()

    @Slot()
    def _on_opened(self) -> None:
        self.remember()
        self._tracked = None

    @Slot(QRect)
    def _on_mask_changed(self, rect: QRect) -> None:
        tracked, document = self._tracked, self._document
        if tracked is None or tracked[0] != document.path or rect.isEmpty():
            return
        if tracked[1] != document.pixels_version:
            return  # the image itself was edited: see the module docstring
        tracked[2][rect_slices(rect)] = document.mask_region(rect) > 0


class ReviewedSearch(Protocol):
    """What `ReviewController` needs of a search's review."""

    sources: tuple[Path, ...]

    def finding(self, path: Path) -> Finding: ...

    def is_corrected(self, path: Path) -> bool: ...


class ReviewController(QObject):
    """The part of a batch search's controller that reviews its result file by file.

    Subclasses set `review` when their search ends and word a row's finding in
    `_finding_text`.

    Args:
        parent: Owner of the controller.
        panel: The batch list.
        document: The open image, whose mask is reviewed and corrected.
        open_file: Opens a listed file in the canvas (asking about unsaved edits).
    """

    def __init__(
        self,
        parent: QObject,
        panel: BatchPanel,
        document: Document,
        open_file: Callable[[Path], None],
    ) -> None:
        super().__init__(parent)
        self._panel, self._document = panel, document
        self.review: ReviewedSearch | None = None
        self._shown: set[Path] = set()
        """Files whose check box the review has set (later the person's choice stands)."""
        self._masks = OpenMaskTracker(document, panel, open_file, self._show_findings, self)

    @property
    def active(self) -> bool:
        """Whether a search result is being reviewed (the run then uses it)."""
        return self.review is not None

    def forget(self) -> None:
        """Leave review mode: the run applies the painted mask to every file again."""
        if self.review is None:
            return
        self.review, self._shown = None, set()
        self._masks.follow(None)
        self._panel.set_review_mode(False)
        self._panel.set_summary(None)

    def open(self, path: Path) -> None:
        """Open a listed file; mask-only edits of a reviewed image are kept, so no question."""
        self._masks.open(path)

    def _checked(self) -> list[Path]:
        """The checked files the search covered, in list order.

        The open image's mask is remembered first, so its latest correction goes along.
        """
        review = self.review
        assert review is not None
        self._masks.remember()
        sources = set(review.sources)
        return [p for p in self._panel.paths() if p in sources and self._panel.is_included(p)]

    @Slot()
    def _show_findings(self) -> None:
        review = self.review
        if review is None:
            return
        show_rows(
            self._panel,
            self._shown,
            lambda path: lambda: self._row_text(review, path),
            lambda path: included_by_default(review.finding(path)),
        )

    def _row_text(self, review: ReviewedSearch, path: Path) -> str:
        """The file's status in the list, worded from the review's facts when shown."""
        status = self._finding_text(review, path)
        if review.is_corrected(path):
            status += " · " + QCoreApplication.translate("ReviewController", "corrected by hand")
        return status

    def _finding_text(self, review: ReviewedSearch, path: Path) -> str:
        """What the search found in `path`, in words."""
        raise NotImplementedError
