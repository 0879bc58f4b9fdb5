#!/usr/bin/env bash
# Builds the silent, per-machine MSI with msitools' wixl, then patches what wixl cannot express.
#
#   scripts/build-msi.sh [stagedAppDir] [--arch x64|x86|all] [--version x.y.z] [--out file] [--dll SsprLogonCP.dll]
#
# --arch: x64 (default), x86, or all (both, each with its defaults; --out, --dll and stagedAppDir not allowed).
# stagedAppDir: every file in it is installed under INSTALLDIR; it must hold SsprLogon.exe. Default:
#   electron-builder's output for the architecture (release/x64/win-unpacked, or release/win-unpacked for x64;
#   release/ia32/win-unpacked for x86) when one exists, else a CI stand-in folder holding build/shim's
#   (build/shim/x86's) SsprLogon.exe.
# --version: product version (default: package.json "version"). --out: default build/SsprLogon-<arch>.msi.
# --dll: the credential provider (default build/shim/SsprLogonCP.dll or build/shim/x86/SsprLogonCP.dll;
#   scripts/build-shim.sh builds them when missing).
#
# After wixl: SecureCustomProperties (wixl ignores Secure="yes"), component conditions (wixl rejects Component/
# Condition), same-version upgrades (wixl ignores AllowSameVersionUpgrades), the REG_EXPAND_SZ event message
# file (wixl writes it as a plain string) and the protected folder DACLs of INSTALLDIR, DATAFOLDER and LOGFOLDER (MsiLockPermissionsEx, which wixl
# lacks), removal of the whole settings key on uninstall (wixl has no RegistryKey Action), and the deferred
# action that deletes the overlay's dedicated account on uninstall.
# Each patch is read back with msiinfo; the build fails if one did not land.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CALLER_DIR="$PWD"
cd "$ROOT"
# Paths on the command line are relative to where the script was called from, not to $ROOT.
from_caller() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$CALLER_DIR" "$1" ;; esac; }

STAGED=""
VERSION=""
ARCH="x64"
OUT=""
DLL=""
DLL_GIVEN=0
ALL_ARGS=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH="${2:?--arch needs x64, x86 or all}"; shift 2 ;;
    --arch=*) ARCH="${1#--arch=}"; shift ;;
    --version) VERSION="${2:?--version needs a value}"; shift 2 ;;
    --out) OUT="$(from_caller "${2:?--out needs a value}")"; shift 2 ;;
    --dll) DLL="$(from_caller "${2:?--dll needs a value}")"; DLL_GIVEN=1; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    -*) echo "build-msi: unknown option $1" >&2; exit 2 ;;
    *) STAGED="$(from_caller "$1")"; shift ;;
  esac
done

case "$ARCH" in
  all)
    [ -z "$OUT$STAGED" ] && [ "$DLL_GIVEN" = 0 ] || { echo "build-msi: --arch all builds each package with its defaults; drop --out, --dll and the staged folder" >&2; exit 2; }
    rest=()
    for a in "${ALL_ARGS[@]}"; do case "$a" in --arch|--arch=*|all) ;; *) rest+=("$a") ;; esac; done
    for a in x64 x86; do bash "$0" --arch "$a" ${rest[@]+"${rest[@]}"}; done
    exit 0 ;;
  # SYSTEM_DIR: the native System32 (System64Folder is set only on 64-bit Windows).
  x64) SHIM_DIR="build/shim"; WIN64="yes"; ELECTRON_ARCH="x64"; SYSTEM_DIR="System64Folder" ;;
  x86) SHIM_DIR="build/shim/x86"; WIN64="no"; ELECTRON_ARCH="ia32"; SYSTEM_DIR="SystemFolder" ;;
  *) echo "build-msi: --arch must be x64, x86 or all, got '$ARCH'" >&2; exit 2 ;;
esac
[ -n "$OUT" ] || OUT="build/SsprLogon-$ARCH.msi"
[ -n "$DLL" ] || DLL="$SHIM_DIR/SsprLogonCP.dll"

[ -n "$VERSION" ] || VERSION="$(node -p 'require("./package.json").version')"
if ! [[ "$VERSION" =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,5}$ ]]; then
  echo "build-msi: version must be x.y.z with MSI limits (255.255.65535), got '$VERSION'" >&2; exit 2
fi

build_shim_if_missing() {
  if [ ! -f "$SHIM_DIR/SsprLogonCP.dll" ] || [ ! -f "$SHIM_DIR/SsprLogon.exe" ]; then
    [ -f scripts/build-shim.sh ] || { echo "build-msi: build/shim is empty and scripts/build-shim.sh does not exist" >&2; exit 1; }
    echo "build-msi: building the shim first (scripts/build-shim.sh)"
    bash scripts/build-shim.sh
  fi
}

WORK="$(mkdir -p build/msi && mktemp -d build/msi/work.XXXXXX)"
trap '[ -n "${KEEP_MSI_WORK:-}" ] || rm -rf "$WORK"' EXIT

if [ -z "$STAGED" ]; then
  # electron-builder.yml puts each build in release/<x64|ia32>/win-unpacked; release/win-unpacked is its default.
  if [ -d "release/$ELECTRON_ARCH/win-unpacked" ]; then
    STAGED="release/$ELECTRON_ARCH/win-unpacked"
  elif [ "$ARCH" = x64 ] && [ -d release/win-unpacked ]; then
    STAGED="release/win-unpacked"
  else
    build_shim_if_missing
    STAGED="$WORK/standin-app"
    mkdir -p "$STAGED"
    cp "$SHIM_DIR/SsprLogon.exe" "$STAGED/"
    echo "build-msi: no release/$ELECTRON_ARCH/win-unpacked; packaging the CI stand-in overlay from $SHIM_DIR"
  fi
fi
[ -d "$STAGED" ] || { echo "build-msi: staged folder $STAGED does not exist" >&2; exit 1; }
# The credential provider starts <InstallDir>\SsprLogon.exe; a package without it would install a dead link.
[ -f "$STAGED/SsprLogon.exe" ] || { echo "build-msi: $STAGED has no SsprLogon.exe (the overlay the provider starts)" >&2; exit 1; }
[ "$DLL_GIVEN" = 1 ] || build_shim_if_missing
[ -f "$DLL" ] || { echo "build-msi: credential provider $DLL does not exist" >&2; exit 1; }

for tool in wixl msibuild msiinfo; do
  command -v "$tool" >/dev/null || { echo "build-msi: $tool not found (apt-get install wixl msitools)" >&2; exit 1; }
done

# wixl cannot open absolute Source paths, so every source is given relative to $ROOT, where wixl runs.
node scripts/harvest-payload.mjs "$STAGED" "$WORK/Payload.wxs" --exclude SsprLogonCP.dll
DLL_REL="$(realpath --relative-to="$ROOT" "$DLL")"
mkdir -p "$(dirname "$OUT")"
TMP_MSI="$WORK/SsprLogon.msi"
# wixl prints GLib warnings for attributes it ignores (AllowSameVersionUpgrades); those are patched below.
DLL_SHA256="$(sha256sum "$DLL" | cut -d' ' -f1)"
wixl --arch "$ARCH" -D "Arch=$ARCH" -D "Win64=$WIN64" -D "Version=$VERSION" -D "CpDll=$DLL_REL" -D "CpDllSha256=$DLL_SHA256" -o "$TMP_MSI" installer/SsprLogon.wxs "$WORK/Payload.wxs" 2> >(grep -v -e 'AllowSameVersionUpgrades' -e '^$' >&2)

# --- patches ---------------------------------------------------------------------------------------------
PUBLIC_PROPERTIES=(INSTALLDIR ENGINE PORTALURL AUTHORITY CLIENTID LINKTEXT HELPDESKTEXT LOCALE PROXYMODE PROXYSERVER PROXYBYPASS PACURL ENABLELOGGING USEOVERLAYACCOUNT)
secure=("WIX_DOWNGRADE_DETECTED" "WIX_UPGRADE_DETECTED")
for p in "${PUBLIC_PROPERTIES[@]}"; do secure+=("$p" "REMEMBERED_$p"); done
SECURE="$(IFS=';'; echo "${secure[*]}")"

# Setting components are installed only when their property is set (Setting<Name> <- <NAME>).
declare -A SETTING_CONDITION=(
  [SettingEngine]=ENGINE [SettingPortalUrl]=PORTALURL [SettingAuthority]=AUTHORITY [SettingClientId]=CLIENTID
  [SettingLinkText]=LINKTEXT [SettingHelpdeskText]=HELPDESKTEXT [SettingLocale]=LOCALE [SettingProxyMode]=PROXYMODE
  [SettingProxyServer]=PROXYSERVER [SettingProxyBypass]=PROXYBYPASS [SettingPacUrl]=PACURL [SettingEnableLogging]=ENABLELOGGING
  [SettingUseOverlayAccount]=USEOVERLAYACCOUNT
)

# Protected DACLs (no inheritance from ProgramData, whose ACL lets Users create files): admins and SYSTEM
# full control everywhere; Users and the overlay's restricted token (RESTRICTED, see docs/shim-least-privilege.md)
# may read the data folder (config.json) but write nothing, so nobody can pre-create Overlay\ or plant files;
# the log folder is for SYSTEM and administrators only.
DATA_SDDL='D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;RC)'
LOG_SDDL='D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)'
# INSTALLDIR is a public property and LogonUI loads our DLL from it as SYSTEM: wherever the admin points it,
# only SYSTEM and Administrators may write; Users and the overlay's restricted token read and execute. Its
# sub-folders (resources, locales) inherit the same ACEs.
INSTALL_SDDL='D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;RC)'
UPGRADE_CODE='{0B6C4424-D339-4C00-A087-0F320B1C1659}'

queries=(
  "UPDATE \`Property\` SET \`Value\`='$SECURE' WHERE \`Property\`='SecureCustomProperties'"
  # AllowSameVersionUpgrades: the upgrade row also matches the same version (512 = VersionMaxInclusive).
  "DELETE FROM \`Upgrade\` WHERE \`ActionProperty\`='WIX_UPGRADE_DETECTED'"
  "INSERT INTO \`Upgrade\` (\`UpgradeCode\`,\`VersionMax\`,\`Attributes\`,\`ActionProperty\`) VALUES ('$UPGRADE_CODE','$VERSION',513,'WIX_UPGRADE_DETECTED')"
  "UPDATE \`Registry\` SET \`Value\`='#%%SystemRoot%\\System32\\EventCreate.exe' WHERE \`Name\`='EventMessageFile'"
  # Name "-" removes the whole settings key on uninstall, including values the shim wrote at run time.
  "INSERT INTO \`Registry\` (\`Registry\`,\`Root\`,\`Key\`,\`Name\`,\`Component_\`) VALUES ('RemoveSettingsKey',2,'SOFTWARE\\SsprLogon','-','CredentialProvider')"
  "CREATE TABLE \`MsiLockPermissionsEx\` (\`MsiLockPermissionsEx\` CHAR(72) NOT NULL, \`LockObject\` CHAR(72) NOT NULL, \`Table\` CHAR(32) NOT NULL, \`SDDLText\` LONGCHAR NOT NULL, \`Condition\` CHAR(255) PRIMARY KEY \`MsiLockPermissionsEx\`)"
  "INSERT INTO \`MsiLockPermissionsEx\` (\`MsiLockPermissionsEx\`,\`LockObject\`,\`Table\`,\`SDDLText\`) VALUES ('LockDataFolder','DATAFOLDER','CreateFolder','$DATA_SDDL')"
  "INSERT INTO \`MsiLockPermissionsEx\` (\`MsiLockPermissionsEx\`,\`LockObject\`,\`Table\`,\`SDDLText\`) VALUES ('LockLogFolder','LOGFOLDER','CreateFolder','$LOG_SDDL')"
  "INSERT INTO \`MsiLockPermissionsEx\` (\`MsiLockPermissionsEx\`,\`LockObject\`,\`Table\`,\`SDDLText\`) VALUES ('LockInstallDir','INSTALLDIR','CreateFolder','$INSTALL_SDDL')"
  # Uninstall deletes the overlay's dedicated account the shim created: System32's net.exe, deferred, as SYSTEM
  # (34 exe + 0x400 in-script + 0x800 no impersonation + 0x40 ignore the exit code: an account that never
  # existed must not fail the uninstall). Not on the uninstall of an old version during an upgrade.
  "INSERT INTO \`CustomAction\` (\`Action\`,\`Type\`,\`Source\`,\`Target\`) VALUES ('RemoveOverlayAccount',3170,'INSTALLDIR','\"[$SYSTEM_DIR]net.exe\" user SsprLogonOverlay /delete')"
  "INSERT INTO \`InstallExecuteSequence\` (\`Action\`,\`Condition\`,\`Sequence\`) VALUES ('RemoveOverlayAccount','REMOVE=\"ALL\" AND NOT UPGRADINGPRODUCTCODE',3450)"
)
for c in "${!SETTING_CONDITION[@]}"; do
  queries+=("UPDATE \`Component\` SET \`Condition\`='${SETTING_CONDITION[$c]}' WHERE \`Component\`='$c'")
done
args=()
for q in "${queries[@]}"; do args+=(-q "$q"); done
msibuild "$TMP_MSI" "${args[@]}" >/dev/null || { echo "build-msi: msibuild patch failed" >&2; exit 1; }

# --- read back ---------------------------------------------------------------------------------------------
fail() { echo "build-msi: verification failed: $*" >&2; exit 1; }
# Tables are read into variables first: grep -q closing a pipe early would trip pipefail.
table() { msiinfo export "$TMP_MSI" "$1" | tr -d '\r'; }  # msiinfo ends rows with CRLF
grep -qxF "Template: $([ "$ARCH" = x64 ] && echo x64 || echo Intel);1033" <<<"$(msiinfo suminfo "$TMP_MSI" | tr -d '\r')" || fail "template summary for $ARCH"
grep -qxF "SecureCustomProperties	$SECURE" <<<"$(table Property)" || fail "SecureCustomProperties"
grep -qF "	$VERSION		513		WIX_UPGRADE_DETECTED" <<<"$(table Upgrade)" || fail "Upgrade row"
grep -qF 'EventMessageFile	#%%SystemRoot%' <<<"$(table Registry)" || fail "EventMessageFile type"
grep -qF 'RemoveSettingsKey	2	SOFTWARE\SsprLogon	-		CredentialProvider' <<<"$(table Registry)" || fail "settings key removal row"
[ "$(table MsiLockPermissionsEx | grep -c 'CreateFolder	D:PAI')" = 3 ] || fail "MsiLockPermissionsEx rows"
grep -qF "RemoveOverlayAccount	3170	INSTALLDIR	\"[$SYSTEM_DIR]net.exe\" user SsprLogonOverlay /delete" <<<"$(table CustomAction)" || fail "account removal action"
grep -qF "	SOFTWARE\SsprLogon\Payload	SsprLogonCP.dll	$DLL_SHA256	CredentialProvider" <<<"$(table Registry)" || fail "payload reference of SsprLogonCP.dll"
grep -qP "\tSOFTWARE\\\\SsprLogon\\\\Payload\tSsprLogon\.exe\t[0-9a-f]{64}\t" <<<"$(table Registry)" || fail "payload reference of SsprLogon.exe"
components="$(table Component)"
for c in "${!SETTING_CONDITION[@]}"; do
  grep -qP "^$c\t[^\t]*\t[^\t]*\t[^\t]*\t${SETTING_CONDITION[$c]}\t" <<<"$components" || fail "condition of $c"
done

mv -f "$TMP_MSI" "$OUT"
echo "build-msi: $OUT ($ARCH, version $VERSION, $(stat -c %s "$OUT") bytes, payload from $STAGED)"
