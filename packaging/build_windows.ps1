<#
.SYNOPSIS
    Build the Windows lamadesk download: the one-folder bundle with a CUDA PyTorch, smoke-tested,
    then the Inno Setup installer and the portable zip.

.DESCRIPTION
    1. a fresh virtual environment (OutDir\venv), deleted and made anew on every run;
    2. PyTorch from PyTorch's wheel index for the chosen CUDA flavour;
    3. lamadesk (a wheel install from a copy of the sources, not editable) and PyInstaller;
    4. PyInstaller with packaging\lamadesk.spec  ->  OutDir\dist\lamadesk;
    5. smoke test of the frozen executables: lamadesk-cli --version, doctor --json (PyTorch must
       load: this is where a missing DLL shows), remove with the OpenCV model on a generated image
       (pixels checked), lamadesk --self-test (window painted, icon and catalogs found);
    6. OutDir\lamadesk-<version>-windows-<flavour>-portable.zip (with the 'portable' marker);
    7. OutDir\installer\lamadesk-<version>-windows-<flavour>-setup.exe and its setup-*.bin slices
       (Inno Setup 6; the payload is over 2 GB, so it is split, see lamadesk.iss).

    CUDA flavours (PyTorch 2.12 to 2.14 ship these for Windows; 12.8 was dropped in 2.12):
      cu126  CUDA 12.6: Maxwell, Pascal, Volta, Turing, Ampere, Ada, Hopper (sm_50 to sm_90):
             GTX 900 / 10 / 16, RTX 20 / 30 / 40. NVIDIA driver 528.33 or newer.
             No Blackwell (RTX 50): use cu130 for those.
      cu130  CUDA 13.0: Turing to Blackwell (sm_75 to sm_120): GTX 16, RTX 20 / 30 / 40 / 50.
             NVIDIA driver 580.88 or newer. No Maxwell, Pascal or Volta (GTX 900 / 10, Titan V).

.PARAMETER Cuda
    cu126 (default) or cu130.
.PARAMETER TorchVersion
    The torch release to bundle (default 2.14.1).
.PARAMETER Python
    The Python 3.11+ interpreter that makes the venv (default: python on PATH).
.PARAMETER OutDir
    Where everything goes (default: build\windows-<Cuda> in the checkout).
.PARAMETER SkipInstaller
    Stop after the smoke test and the portable zip (no Inno Setup needed).
.PARAMETER NoPipCache
    Install without pip's cache (CI: the CUDA wheels are 2.5 GB and the disk is small).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1 -Cuda cu130
#>
[CmdletBinding()]
param(
    [ValidateSet("cu126", "cu130")]
    [string]$Cuda = "cu126",
    [string]$TorchVersion = "2.14.1",
    [string]$Python = "python",
    [string]$OutDir = "",
    [switch]$SkipInstaller,
    [switch]$NoPipCache
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"

$Root = Split-Path -Parent $PSScriptRoot
if (-not $OutDir) { $OutDir = Join-Path $Root "build\windows-$Cuda" }
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$OutDir = (Resolve-Path $OutDir).Path
$Venv = Join-Path $OutDir "venv"
$VPython = Join-Path $Venv "Scripts\python.exe"
$Bundle = Join-Path $OutDir "dist\lamadesk"
$Started = Get-Date

function Step([string]$Text) {
    $seconds = [int]((Get-Date) - $Started).TotalSeconds
    Write-Host "`n== $Text (${seconds}s)"
}

function Invoke-Checked {
    # Run a native command, stop on a non-zero exit code (PowerShell does not by itself). A plain
    # function on purpose: $args passes "-m", "-c" and the like through untouched.
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

$PipFlags = @("--disable-pip-version-check")
if ($NoPipCache) { $PipFlags += "--no-cache-dir" }

Step "fresh virtual environment in $Venv"
foreach ($old in @($Venv, (Join-Path $OutDir "work"), (Join-Path $OutDir "dist"), (Join-Path $OutDir "src"), (Join-Path $OutDir "installer"))) {
    if (Test-Path $old) { Remove-Item -Recurse -Force $old }
}
Invoke-Checked $Python -c "import sys; assert sys.version_info >= (3, 11), sys.version"
Invoke-Checked $Python -m venv $Venv
Invoke-Checked $VPython -m pip install @PipFlags --quiet --upgrade pip

Step "install torch==$TorchVersion for $Cuda"
Invoke-Checked $VPython -m pip install @PipFlags --quiet "torch==$TorchVersion" --index-url "https://download.pytorch.org/whl/$Cuda"

Step "install lamadesk (not editable) and PyInstaller"
# A wheel install from a copy of the sources, as in build_linux.sh: setuptools' build\ and
# egg-info stay out of the checkout and no stale file of an earlier build reaches the wheel.
$Src = Join-Path $OutDir "src"
New-Item -ItemType Directory -Force -Path $Src | Out-Null
foreach ($item in @("pyproject.toml", "README.md", "lamadesk", "resources")) {
    Copy-Item -Recurse -Path (Join-Path $Root $item) -Destination $Src
}
# Naming torch again keeps pip from swapping the CUDA build for PyPI's.
Invoke-Checked $VPython -m pip install @PipFlags --quiet $Src "torch==$TorchVersion" "pyinstaller>=6.11"
$expectedCuda = "{0}.{1}" -f $Cuda.Substring(2, 2), $Cuda.Substring(4)
Invoke-Checked $VPython -c "import torch, sys; print('torch', torch.__version__, 'CUDA', torch.version.cuda); sys.exit(torch.version.cuda != '$expectedCuda')"

Step "PyInstaller"
Push-Location $OutDir  # not the checkout: the analysis must import the installed lamadesk
try {
    Invoke-Checked $VPython -m PyInstaller --noconfirm --clean --log-level WARN `
        --distpath (Join-Path $OutDir "dist") --workpath (Join-Path $OutDir "work") `
        (Join-Path $Root "packaging\lamadesk.spec")
}
finally { Pop-Location }
$Cli = Join-Path $Bundle "lamadesk-cli.exe"
$Gui = Join-Path $Bundle "lamadesk.exe"

Step "smoke test"
$Smoke = Join-Path $OutDir "smoke"
if (Test-Path $Smoke) { Remove-Item -Recurse -Force $Smoke }
New-Item -ItemType Directory -Force -Path $Smoke | Out-Null
$env:LAMADESK_DATA_DIR = Join-Path $Smoke "data"  # never the build machine's own profile
$Version = ((& $Cli --version) -replace "^lamadesk\s+", "").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "lamadesk-cli --version failed" }
Write-Host "lamadesk $Version"

$doctorJson = & $Cli doctor --json
if ($LASTEXITCODE -ne 0) { throw "lamadesk-cli doctor failed with exit code $LASTEXITCODE" }
$doctor = ($doctorJson -join "`n") | ConvertFrom-Json
Write-Host $doctor.status
if ($doctor.torch_error) { throw "the frozen app cannot load PyTorch: $($doctor.torch_error)" }
if ($doctor.torch_cuda_version -ne $expectedCuda) { throw "bundled PyTorch has CUDA $($doctor.torch_cuda_version), expected $expectedCuda" }

# A gradient photo with a red block and the mask over it, made by the build venv's Pillow.
$make = @"
import numpy as np, sys
from PIL import Image
h, w = 240, 320
y, x = np.mgrid[0:h, 0:w]
rgb = np.stack([x * 255 // w, y * 255 // h, np.full_like(x, 128)], axis=-1).astype(np.uint8)
rgb[100:140, 100:220] = (255, 0, 0)
mask = np.zeros((h, w), np.uint8)
mask[96:144, 96:224] = 255
Image.fromarray(rgb).save(sys.argv[1] + '/photo.png')
Image.fromarray(mask).save(sys.argv[1] + '/mask.png')
"@
Invoke-Checked $VPython -c $make $Smoke
Invoke-Checked $Cli remove (Join-Path $Smoke "photo.png") --mask (Join-Path $Smoke "mask.png") `
    --out (Join-Path $Smoke "out") --model opencv
$check = @"
import numpy as np, sys
from PIL import Image
before = np.asarray(Image.open(sys.argv[1] + '/photo.png'))
after = np.asarray(Image.open(sys.argv[1] + '/out/photo.png'))
mask = np.asarray(Image.open(sys.argv[1] + '/mask.png')) > 0
assert (after[~mask] == before[~mask]).all(), 'pixels outside the mask changed'
block = after[100:140, 100:220].astype(int)
assert not ((block[..., 0] > 180) & (block[..., 1] < 90)).any(), 'the red block is still there'
print('remove: masked area filled, everything else unchanged')
"@
Invoke-Checked $VPython -c $check $Smoke

# The windowed exe has no console: its exit code says whether the window painted.
$app = Start-Process -FilePath $Gui -ArgumentList "--self-test" -Wait -PassThru
if ($app.ExitCode -ne 0) {
    Get-Content (Join-Path $env:LAMADESK_DATA_DIR "logs\lamadesk.log") -ErrorAction SilentlyContinue | Select-Object -Last 20
    throw "lamadesk --self-test failed with exit code $($app.ExitCode)"
}
Select-String -Path (Join-Path $env:LAMADESK_DATA_DIR "logs\lamadesk.log") -Pattern "self-test" | ForEach-Object { $_.Line }
Remove-Item Env:LAMADESK_DATA_DIR

$Name = "lamadesk-$Version-windows-$Cuda"
Step "portable zip"
Invoke-Checked $VPython (Join-Path $Root "packaging\make_portable_zip.py") $Bundle (Join-Path $OutDir "$Name-portable.zip") --top $Name

if (-not $SkipInstaller) {
    Step "Inno Setup installer"
    $iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
    $isccPath = if ($iscc) { $iscc.Source } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
    if (-not (Test-Path $isccPath)) {
        throw "Inno Setup 6 not found (ISCC.exe); install it (winget install JRSoftware.InnoSetup) or pass -SkipInstaller"
    }
    Invoke-Checked $isccPath /Qp "/DAppVersion=$Version" "/DCudaFlavour=$Cuda" "/DSourceDir=$Bundle" `
        "/DOutputDir=$(Join-Path $OutDir 'installer')" "/DOutputName=$Name-setup" `
        "/DIconFile=$(Join-Path $OutDir 'work\lamadesk\icons\lamadesk.ico')" `
        (Join-Path $Root "packaging\lamadesk.iss")
}

Step "done"
$bundleBytes = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum
Write-Host ("bundle    {0}: {1:N0} MiB" -f $Bundle, ($bundleBytes / 1MB))
Get-ChildItem -File (Join-Path $OutDir "*.zip"), (Join-Path $OutDir "installer\*") -ErrorAction SilentlyContinue |
    ForEach-Object { Write-Host ("{0,-60} {1:N0} MiB" -f $_.Name, ($_.Length / 1MB)) }
