"""PyInstaller run-time hook: runs first in both frozen executables, before any import.

Windows: torch's DLLs (c10.dll, torch_cpu.dll, the CUDA libraries of a CUDA build) sit in
``_internal/torch/lib``. torch adds that folder itself when it is imported, but a DLL that
another package loads first then fails with "WinError 126 ... c10.dll"; adding the folders to
the DLL search path up front makes the import order irrelevant. The handles are kept so the
folders stay on the path for the life of the process.
"""

import os
import sys
from pathlib import Path

_LAMADESK_DLL_DIRECTORIES = []

if sys.platform == "win32" and hasattr(os, "add_dll_directory"):
    _bundle = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    for _folder in (_bundle / "torch" / "lib", _bundle):
        if _folder.is_dir():
            _LAMADESK_DLL_DIRECTORIES.append(os.add_dll_directory(str(_folder)))
