"""Installing the UI language: lamadesk's catalog plus Qt's own (standard buttons, dialogs)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from lamadesk.ui.resources import translations_dir
from lamadesk.ui.settings.store import Language

log = logging.getLogger(__name__)


class Translations:
    """Swaps the installed translators when the language changes.

    Installing or removing a translator makes Qt send LanguageChange to every widget, and
    each widget re-words itself in its `changeEvent`: the window is never rebuilt.
    """

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = Language.ENGLISH

    def apply(self, language: Language) -> bool:
        """Install `language`; returns False (and stays in English) if its catalog is missing."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = Language.ENGLISH
        if language is Language.ENGLISH:
            QLocale.setDefault(QLocale(QLocale.Language.English))
            return True
        ours = QTranslator(self._app)
        if not ours.load(f"lamadesk_{language.value}", str(translations_dir())):
            log.warning("no catalog for %s in %s", language.value, translations_dir())
            return False
        self._app.installTranslator(ours)
        self._installed.append(ours)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_catalog = QTranslator(self._app)
        if qt_catalog.load(f"qtbase_{language.value}", qt_dir):
            self._app.installTranslator(qt_catalog)
            self._installed.append(qt_catalog)
        QLocale.setDefault(QLocale(language.value))
        self.language = language
        return True
