; Inno Setup 6 script for the lamadesk Windows installer.
;
; Built by packaging\build_windows.ps1, which passes the values below with /D...; by hand:
;   ISCC.exe /DAppVersion=0.1.0 /DCudaFlavour=cu126 /DSourceDir=build\windows-cu126\dist\lamadesk
;            /DIconFile=build\windows-cu126\work\lamadesk\icons\lamadesk.ico packaging\lamadesk.iss
;
; - Per-user install without administrator rights: %LOCALAPPDATA%\Programs\lamadesk, Start menu
;   entry, optional desktop icon, an uninstaller in "Installed apps".
; - A CUDA build is 4 to 5 GB unpacked and about 2.5 GB compressed, over the 2 GB that one setup
;   file can hold: DiskSpanning splits it into setup.exe plus setup-1.bin, setup-2.bin, ...,
;   which must stay in one folder (the workflow uploads them together).
; - Every flavour shares one AppId, so installing cu130 over cu126 replaces it; _internal is
;   deleted first so no DLL of the other flavour is left behind.
; - The person's data (%LOCALAPPDATA%\lamadesk: models, log) is not removed on uninstall: the
;   model is a 196 MiB download, and a reinstall should find it.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef CudaFlavour
  #define CudaFlavour "cu126"
#endif
#ifndef SourceDir
  #define SourceDir "..\build\windows-" + CudaFlavour + "\dist\lamadesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\build\windows-" + CudaFlavour + "\installer"
#endif
#ifndef OutputName
  #define OutputName "lamadesk-" + AppVersion + "-windows-" + CudaFlavour + "-setup"
#endif
#ifndef IconFile
  #define IconFile "..\build\windows-" + CudaFlavour + "\work\lamadesk\icons\lamadesk.ico"
#endif

[Setup]
AppId={{6F0C7E42-8B1D-4C8E-9A57-3D2B1E6A9C10}
AppName=lamadesk
AppVersion={#AppVersion}
AppVerName=lamadesk {#AppVersion} (CUDA {#CudaFlavour})
AppPublisher=lamadesk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\lamadesk
DefaultGroupName=lamadesk
DisableProgramGroupPage=yes
; Per user, no UAC prompt; {autopf} is then %LOCALAPPDATA%\Programs. An administrator may
; still choose "install for all users" in the dialog.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#OutputName}
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\lamadesk.exe
UninstallDisplayName=lamadesk (CUDA {#CudaFlavour})
WizardStyle=modern
; Over 2,100,000,000 compressed bytes Inno Setup requires disk spanning; slices as large as
; allowed keep the count low (2 for a CUDA build).
DiskSpanning=yes
DiskSliceSize=max
; CUDA DLLs compress well with LZMA2; solid compression would make the installer read the
; whole archive for every file and need far more memory to build.
Compression=lzma2/normal
SolidCompression=no
LZMAUseSeparateProcess=yes
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update or another CUDA flavour: start from a clean runtime folder.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The portable marker (and a portable data folder) belong to the zip only: an installed app
; keeps its data in the profile.
Source: "{#SourceDir}\*"; Excludes: "\portable,\data"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\lamadesk"; Filename: "{app}\lamadesk.exe"; Comment: "Remove watermarks and objects from photos"
Name: "{autodesktop}\lamadesk"; Filename: "{app}\lamadesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\lamadesk.exe"; Description: "{cm:LaunchProgram,lamadesk}"; Flags: nowait postinstall skipifsilent
