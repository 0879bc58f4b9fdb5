#!/usr/bin/env bash
# Cross-builds the credential-provider shim with mingw-w64 into build/shim/:
#   SsprLogonCP.dll  the provider (static C/C++ runtime; imports only system DLLs)
#   SsprLogon.exe    the STAND-IN overlay used by tests (never shipped; the MSI ships the real overlay)
#   cp-harness.exe   the COM test harness
#   native/core-test the plain C++ rules compiled natively and unit-tested on Linux
#   x86/SsprLogonCP.dll, x86/SsprLogon.exe  the same provider and stand-in for 32-bit Windows (i686-w64-mingw32)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/src/shim"
out="$root/build/shim"
obj="$out/obj"
stage="$out/.stage"
mkdir -p "$out" "$obj" "$obj/x86" "$out/native" "$out/x86"

# Tests (ours and the MSI's) may build concurrently: one build at a time, and finished files are moved
# into place atomically so a running wine never loads a half-written DLL.
exec 9>"$out/.build.lock"
flock 9
rm -rf "$stage"
mkdir -p "$stage"

CXX="${CXX_MINGW:-x86_64-w64-mingw32-g++}"
WINDMC="${WINDMC:-x86_64-w64-mingw32-windmc}"
WINDRES="${WINDRES:-x86_64-w64-mingw32-windres}"
OBJDUMP="${OBJDUMP:-x86_64-w64-mingw32-objdump}"

# _WIN32_WINNT 0x0601: Windows 7 is the oldest target; nothing newer may be called.
# Size (the DLL is loaded into every LogonUI): -Os, section garbage collection, and msvcrt's printf instead of
# mingw's own formatter (__USE_MINGW_ANSI_STDIO=0); we format only integers and fixed-width hex.
common=(-std=c++17 -Os -D__USE_MINGW_ANSI_STDIO=0 -Wall -Wextra -Werror -municode -DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601 -DWINVER=0x0601
        -DNTDDI_VERSION=0x06010000 -fno-ident -ffunction-sections -fdata-sections)
static=(-static -static-libgcc -static-libstdc++ -Wl,--gc-sections -s)

# One version everywhere: package.json's "version" (x.y.z) goes into every binary's version resource.
version="$(node -p 'require(process.argv[1]).version' "$root/package.json")"
if ! [[ "$version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "build-shim: package.json version must be x.y.z, got '$version'" >&2; exit 1
fi
version_defs=(-DSSPR_VERSION_MAJOR="${BASH_REMATCH[1]}" -DSSPR_VERSION_MINOR="${BASH_REMATCH[2]}" -DSSPR_VERSION_PATCH="${BASH_REMATCH[3]}")
# The same version in the code: the Event Log's launch record (event 100) names it.
common+=(-DSSPR_PRODUCT_VERSION="L\"$version\"")

# resources <windres> <folder> <object> <type> <description> <original file name> [extra windres flags]
resources() {
  local windres="$1" dir="$2" object="$3" type="$4" description="$5" name="$6"; shift 6
  (cd "$dir" && "$windres" -I"$dir" -I"$src/dll" "${version_defs[@]}" -DSSPR_FILE_TYPE="$type" \
    -DSSPR_FILE_DESCRIPTION="\\\"$description\\\"" -DSSPR_ORIGINAL_FILENAME="\\\"$name\\\"" "$@" \
    "$src/dll/version.rc" -O coff -o "$object")
}

# Event Log message table and version resources.
"$WINDMC" -U -h "$obj" -r "$obj" "$src/dll/messages.mc"
resources "$WINDRES" "$obj" "$obj/resources.o" VFT_DLL "SSPR Logon credential provider" SsprLogonCP.dll -DSSPR_WITH_MESSAGES
resources "$WINDRES" "$obj" "$obj/standin-resources.o" VFT_APP "SSPR Logon overlay (CI stand-in)" SsprLogon.exe

dll_sources=("$src/dll/dll.cpp" "$src/dll/provider.cpp" "$src/dll/launcher.cpp" "$src/dll/settings.cpp" "$src/dll/overlay_log.cpp"
             "$src/dll/payload_check.cpp" "$src/dll/safe_folder.cpp" "$src/dll/overlay_account.cpp" "$src/dll/tile_language.cpp"
             "$src/core/policy.cpp" "$src/core/log_files.cpp" "$src/core/tile_text.cpp" "$src/include/credprov_iids.cpp" "$obj/resources.o" "$src/dll/SsprLogonCP.def")
dll_libs=(-lole32 -luuid -ladvapi32 -lwtsapi32 -lbcrypt -lgdi32 -luser32 -lnetapi32)
"$CXX" "${common[@]}" -shared -o "$stage/SsprLogonCP.dll" "${dll_sources[@]}" "${static[@]}" "${dll_libs[@]}"
# Test-only variant: identical except for the checks wine cannot satisfy (docs/shim-least-privilege.md).
# Never shipped; the MSI takes SsprLogonCP.dll.
"$CXX" "${common[@]}" -DSSPR_WINE_TEST_BUILD -shared -o "$stage/SsprLogonCP-winetest.dll" "${dll_sources[@]}" \
  "${static[@]}" "${dll_libs[@]}"

"$CXX" "${common[@]}" -o "$stage/SsprLogon.exe" "$src/standin/standin.cpp" "$src/core/policy.cpp" "$obj/standin-resources.o" \
  "${static[@]}" -ladvapi32 -lshell32 -luser32 -lbcrypt

"$CXX" "${common[@]}" -o "$stage/cp-harness.exe" "$src/harness/harness.cpp" "$src/include/credprov_iids.cpp" \
  "${static[@]}" -lole32 -luuid -ladvapi32 -lgdi32 -luser32

# 32-bit Windows 7 fleets: the same provider and stand-in built with the i686 toolchain. On x86, COM's entry
# points are __stdcall (DllGetClassObject@12); --kill-at exports them undecorated, as LogonUI looks them up.
CXX86="${CXX86_MINGW:-i686-w64-mingw32-g++}"
"${CXX86%g++}windmc" -U -h "$obj/x86" -r "$obj/x86" "$src/dll/messages.mc"
resources "${CXX86%g++}windres" "$obj/x86" "$obj/x86/resources.o" VFT_DLL "SSPR Logon credential provider" SsprLogonCP.dll -DSSPR_WITH_MESSAGES
resources "${CXX86%g++}windres" "$obj/x86" "$obj/x86/standin-resources.o" VFT_APP "SSPR Logon overlay (CI stand-in)" SsprLogon.exe
dll86_sources=("${dll_sources[@]/#$obj\/resources.o/$obj/x86/resources.o}")
mkdir -p "$stage/x86"
"$CXX86" "${common[@]}" -shared -o "$stage/x86/SsprLogonCP.dll" "${dll86_sources[@]}" "${static[@]}" \
  -Wl,--kill-at -Wl,--enable-stdcall-fixup "${dll_libs[@]}"
"$CXX86" "${common[@]}" -o "$stage/x86/SsprLogon.exe" "$src/standin/standin.cpp" "$src/core/policy.cpp" "$obj/x86/standin-resources.o" \
  "${static[@]}" -ladvapi32 -lshell32 -luser32 -lbcrypt

g++ -std=c++17 -O1 -Wall -Wextra -Werror -o "$stage/core-test" \
  "$root/test/shim/native/core_test.cpp" "$src/core/policy.cpp" "$src/core/tile_text.cpp"
# The log-file rules, run natively against the fixture the TypeScript logger is checked with.
g++ -std=c++17 -O1 -Wall -Wextra -Werror -o "$stage/log-plan" "$root/test/shim/native/log_plan.cpp" "$src/core/log_files.cpp"

# The DLL is loaded into LogonUI: it must not drag in a mingw runtime DLL that Windows does not have.
imports="$("$OBJDUMP" -p "$stage/SsprLogonCP.dll" "$stage/SsprLogonCP-winetest.dll" "$stage/x86/SsprLogonCP.dll" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)"
allowed='^(kernel32|advapi32|ole32|user32|gdi32|wtsapi32|bcrypt|netapi32|msvcrt|ntdll|api-ms-win-[a-z0-9-]+)\.dll$'
bad="$(printf '%s\n' "$imports" | grep -Ev "$allowed" || true)"
if [ -n "$bad" ]; then
  echo "build-shim: SsprLogonCP.dll imports non-system DLLs:" >&2
  printf '%s\n' "$bad" >&2
  exit 1
fi
for f in SsprLogonCP.dll SsprLogonCP-winetest.dll SsprLogon.exe cp-harness.exe; do mv -f "$stage/$f" "$out/$f"; done
mv -f "$stage/core-test" "$out/native/core-test"
mv -f "$stage/log-plan" "$out/native/log-plan"
for f in SsprLogonCP.dll SsprLogon.exe; do mv -f "$stage/x86/$f" "$out/x86/$f"; done
rmdir "$stage/x86" "$stage"
echo "build-shim: built SsprLogonCP.dll ($(stat -c %s "$out/SsprLogonCP.dll") bytes), SsprLogonCP-winetest.dll, SsprLogon.exe (stand-in), cp-harness.exe, native/core-test, native/log-plan; x86/SsprLogonCP.dll ($(stat -c %s "$out/x86/SsprLogonCP.dll") bytes), x86/SsprLogon.exe"
