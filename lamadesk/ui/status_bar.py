"""The main window's status bar: messages that fit beside the engine label and follow the language.

Helpers get the narrow `StatusReporter` view of it and the `ProgressIndicator`, the one
progress bar of the window, never the window itself.

QStatusBar paints a temporary message itself, clipped without an ellipsis where the first
permanent widget starts, so a long one read as running into the engine label ("…from
https://wwvLaMa · CPU"). Here the message is a label the layout stretches up to the
permanent widgets: elided with "…" to the room it has, the whole text in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QWidget

Wording = Callable[[], str]
"""Words a message in the current language; called again when the language changes."""


class StatusReporter(Protocol):
    """Where a helper says what happened: one message at a time, worded on demand."""

    def show_words(self, words: Wording, timeout_ms: int = 0) -> None:
        """Show `words()` (for `timeout_ms`, or until the next message when 0)."""

    def clearMessage(self) -> None:  # noqa: N802 - the Qt name StatusBar implements
        """Show no message (a dialog says it instead)."""


class ProgressIndicator(QProgressBar):
    """The window's one progress bar, for the removal, batch or search that runs.

    Jobs run one at a time on the engine's runner, so whichever job runs owns it; its
    handlers move it only through these calls.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumWidth(180)
        self.done()

    def busy(self) -> None:
        """Show work whose amount is not known (yet): a moving bar."""
        self.show_steps(0, 0)

    def show_steps(self, done: int, total: int) -> None:
        """Show `done` of `total` (0 total: busy)."""
        self.setRange(0, total)
        self.setValue(done)
        self.show()

    def done(self) -> None:
        """Hide the bar; the next job starts it afresh."""
        self.hide()
        self.setRange(0, 100)
        self.setValue(0)


class ElidedLabel(QLabel):
    """One line of text, elided at the right to the label's width; the whole text as tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        # Ignored: a long text must not widen the bar and push the permanent widgets away.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = " ".join(text.split("\n"))
        self.setToolTip(self._full)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room))


class StatusBar(QStatusBar):
    """Shows one message at a time (`show_words`, or Qt's `showMessage` for a fixed text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: Wording | None = None
        self.message_label = ElidedLabel()
        self.message_label.setObjectName("statusMessage")
        self.addWidget(self.message_label, 1)
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.clearMessage)

    def show_words(self, words: Wording, timeout_ms: int = 0) -> None:
        """Show `words()` (for `timeout_ms`, or until the next message when 0)."""
        self._words = words
        self._expiry.stop()
        if timeout_ms > 0:
            self._expiry.start(timeout_ms)
        self._refresh()

    def showMessage(self, message: str, timeout: int = 0) -> None:  # noqa: N802 - Qt override
        self.show_words(lambda: message, timeout)

    def clearMessage(self) -> None:  # noqa: N802 - Qt override
        self._words = None
        self._expiry.stop()
        self._refresh()

    def currentMessage(self) -> str:  # noqa: N802 - Qt override
        return self.message_label.full_text()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)

    def _refresh(self) -> None:
        text = "" if self._words is None else self._words()
        if text != self.message_label.full_text():
            self.message_label.set_full_text(text)
            self.messageChanged.emit(text)
