; SchoolHR (學校人事小幫手) per-user Windows installer. See installer/README.md.
;
;   makensis -WX -DVERSION=0.1.0 [-DPAYLOAD=<PyInstaller folder>] [-DOUTFILE=<setup.exe>] schoolhr.nsi
;
; Per user, no administrator rights and no UAC prompt: the program goes to
; %LOCALAPPDATA%\Programs\SchoolHR, the Start-menu shortcut and the uninstall entry are the
; current user's (HKCU). Installing again upgrades in place: the old program files are removed,
; the new ones copied. The clerk's data (database, backups, logs, county packs) lives elsewhere,
; in %LOCALAPPDATA%\SchoolHR (schoolhr.paths), and survives upgrades and, unless the clerk ticks
; the box or passes /DELETEDATA, uninstalling. Silent: setup.exe /S [/D=<folder>];
; uninstall.exe /S [/DELETEDATA].

Unicode true
ManifestDPIAware true
ManifestSupportedOS all
RequestExecutionLevel user  ; also tells Windows not to guess "installer" and ask to elevate
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "Give the version: makensis -DVERSION=<schoolhr.__version__> schoolhr.nsi"
!endif
!ifndef PAYLOAD
  !define PAYLOAD "..\..\dist\SchoolHR"  ; pyinstaller --distpath dist installer\schoolhr.spec
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\SchoolHR-${VERSION}-setup.exe"
!endif

!define APP_NAME "學校人事小幫手"
!define APP_ID "SchoolHR"
!define EXE "SchoolHR.exe"
!define PUBLISHER "SchoolHR"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define SHORTCUT "$SMPROGRAMS\${APP_NAME}.lnk"
; Where the app keeps its data (platformdirs user_data_dir, schoolhr.paths): never the program
; folder, never touched by an upgrade.
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"

!if /FileExists "${PAYLOAD}\${EXE}"
!else
  !error "No ${EXE} in PAYLOAD (${PAYLOAD}): build the program first (installer/README.md)"
!endif

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1028 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1028 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1028 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1028 "FileDescription" "${APP_NAME} ${VERSION} 安裝程式"
VIAddVersionKey /LANG=1028 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1028 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Var Upgrading

!define MUI_ABORTWARNING
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryWhenUpgrading
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "開啟${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_TEXT_TOP "程式一定會移除。您的資料（資料庫、備份、記錄檔）預設保留，重新安裝後可繼續使用；勾選下方項目才會一併刪除。"
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "TradChinese"

Function .onInit
  SetShellVarContext current
  ; An earlier installation, wherever it went: upgrade it in place.
  ReadRegStr $0 HKCU "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} ${FileExists} "$0\${EXE}"
    StrCpy $INSTDIR $0
    StrCpy $Upgrading 1
  ${EndIf}
FunctionEnd

Function SkipDirectoryWhenUpgrading
  ${If} $Upgrading == 1
    Abort
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  ; Upgrades and uninstalls delete the program files: never mix them with the data folder.
  ${If} $INSTDIR == "${DATA_DIR}"
    Abort
  ${EndIf}
FunctionEnd

!macro REMOVE_PROGRAM_FILES
  ; The program cannot be replaced while it runs (Windows locks its files).
  retry_remove:
  ClearErrors
  Delete "$INSTDIR\${EXE}"
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME}正在執行。請先關閉它，再按「重試」。" /SD IDCANCEL IDRETRY retry_remove
    Abort "${APP_NAME}正在執行，未做任何變更。"
  ${EndIf}
  ; Only what this installer put there: the folder may have been chosen by the user.
  RMDir /r "$INSTDIR\_internal"
!macroend

Section "${APP_NAME}" SecProgram
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  !insertmacro REMOVE_PROGRAM_FILES
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "${SHORTCUT}" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${APP_NAME}"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2  ; KB, for Apps & features
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "un.${APP_NAME}（程式）" SecUnProgram
  SectionIn RO
  SetShellVarContext current
  !insertmacro REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: files the user put there stay
  Delete "${SHORTCUT}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

Section /o "un.同時刪除我的資料（資料庫、備份、記錄檔；無法復原）" SecUnData
  SetShellVarContext current
  RMDir /r "${DATA_DIR}"
SectionEnd

; After the sections: it selects one of them by its index.
Function un.onInit
  SetShellVarContext current
  ; uninstall.exe /S /DELETEDATA: a county script asking to remove the data as well.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecUnData}
  ${EndIf}
FunctionEnd
