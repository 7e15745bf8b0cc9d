"""The one question a batch asks before any work when some of its outputs already exist."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from lamadesk.core.output_names import PlannedOutput

translate = QCoreApplication.translate


class ExistingAnswer(Enum):
    """What the person chose for outputs that are already in the folder."""

    OVERWRITE = "overwrite"
    SKIP = "skip"
    """Leave those files alone and do not process their sources (finishing an earlier run)."""
    OTHER_FOLDER = "other folder"
    CANCEL = "cancel"


def ask_existing_outputs(
    parent: QWidget, existing: Sequence[PlannedOutput], folder: Path
) -> ExistingAnswer:
    """Ask what to do with `existing` outputs in `folder`; closing the box cancels."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("ExistingOutputs", "Cleaned files already exist"))
    box.setText(
        translate(
            "ExistingOutputs", "{count} of the files to write already exist in {folder}."
        ).format(count=len(existing), folder=folder)
    )
    box.setInformativeText(
        translate(
            "ExistingOutputs",
            "Nothing has been processed yet. Replace them, skip the files already cleaned, "
            "or choose another folder?",
        )
    )
    box.setDetailedText("\n".join(_shown(planned.destination, folder) for planned in existing))
    role = QMessageBox.ButtonRole
    overwrite = box.addButton(translate("ExistingOutputs", "Overwrite"), role.DestructiveRole)
    skip = box.addButton(translate("ExistingOutputs", "Skip existing"), role.AcceptRole)
    other = box.addButton(translate("ExistingOutputs", "Choose another folder…"), role.ActionRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(skip)
    box.setEscapeButton(cancel)
    box.exec()
    answers = {
        overwrite: ExistingAnswer.OVERWRITE,
        skip: ExistingAnswer.SKIP,
        other: ExistingAnswer.OTHER_FOLDER,
    }
    return answers.get(box.clickedButton(), ExistingAnswer.CANCEL)


def _shown(destination: Path, folder: Path) -> str:
    """``1998/scan.jpg``: the file's place in the output folder, subfolder included."""
    return destination.relative_to(folder).as_posix()
