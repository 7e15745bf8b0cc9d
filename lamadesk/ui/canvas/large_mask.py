"""The question before a removal whose mask covers most of the picture."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from lamadesk.core import masks


def confirm_large_mask(parent: QWidget, mask: np.ndarray) -> bool:
    """True to go ahead; a mask over `masks.LARGE_MASK_SHARE` asks first, defaulting to No.

    Such a mask is usually inverted (or read from the colour hidden under transparency), and
    going ahead repaints nearly the whole photo, so No is the safe answer.
    """
    if not masks.is_large(mask):
        return True
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("MainWindow", "Large mask"),
        QCoreApplication.translate(
            "MainWindow",
            "The mask covers {percent}% of the image, so almost all of it will be repainted. "
            "Is the mask inverted? Remove anyway?",
        ).format(percent=round(masks.coverage(mask) * 100)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
