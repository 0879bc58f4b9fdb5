#!/usr/bin/env bash
# Cross-builds the credential-provider shim with mingw-w64 into build/shim/:
#   SsprLogonCP.dll  the provider (static C/C++ runtime; imports only system DLLs)
#   SsprLogon.exe    the STAND-IN overlay used by tests (never shipped; the MSI ships the real overlay)
#   cp-harness.exe   the COM test harness
#   native/core-test the plain C++ rules compiled natively and unit-tested on Linux
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/src/shim"
out="$root/build/shim"
obj="$out/obj"
stage="$out/.stage"
mkdir -p "$out" "$obj" "$out/native"

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
common=(-std=c++17 -O2 -Wall -Wextra -Werror -municode -DUNICODE -D_UNICODE -D_WIN32_WINNT=0x0601 -DWINVER=0x0601
        -DNTDDI_VERSION=0x06010000 -fno-ident -ffunction-sections -fdata-sections)
static=(-static -static-libgcc -static-libstdc++ -Wl,--gc-sections -s)

# Event Log message table and version resource.
"$WINDMC" -U -h "$obj" -r "$obj" "$src/dll/messages.mc"
cp "$src/dll/version.rc" "$obj/version.rc"
(cd "$obj" && "$WINDRES" -I"$obj" version.rc -O coff -o "$obj/resources.o")

dll_sources=("$src/dll/dll.cpp" "$src/dll/provider.cpp" "$src/dll/launcher.cpp" "$src/dll/settings.cpp" "$src/dll/overlay_log.cpp"
             "$src/dll/tile_language.cpp" "$src/core/policy.cpp" "$src/core/tile_text.cpp" "$src/include/credprov_iids.cpp" "$obj/resources.o" "$src/dll/SsprLogonCP.def")
dll_libs=(-lole32 -luuid -ladvapi32 -lwtsapi32 -lbcrypt -lgdi32 -luser32)
"$CXX" "${common[@]}" -shared -o "$stage/SsprLogonCP.dll" "${dll_sources[@]}" "${static[@]}" "${dll_libs[@]}"
# Test-only variant: identical except for the checks wine cannot satisfy (docs/shim-least-privilege.md).
# Never shipped; the MSI takes SsprLogonCP.dll.
"$CXX" "${common[@]}" -DSSPR_WINE_TEST_BUILD -shared -o "$stage/SsprLogonCP-winetest.dll" "${dll_sources[@]}" \
  "${static[@]}" "${dll_libs[@]}"

"$CXX" "${common[@]}" -o "$stage/SsprLogon.exe" "$src/standin/standin.cpp" "$src/core/policy.cpp" \
  "${static[@]}" -ladvapi32 -lshell32 -luser32

"$CXX" "${common[@]}" -o "$stage/cp-harness.exe" "$src/harness/harness.cpp" "$src/include/credprov_iids.cpp" \
  "${static[@]}" -lole32 -luuid -ladvapi32 -lgdi32 -luser32

g++ -std=c++17 -O1 -Wall -Wextra -Werror -o "$stage/core-test" \
  "$root/test/shim/native/core_test.cpp" "$src/core/policy.cpp" "$src/core/tile_text.cpp"

# The DLL is loaded into LogonUI: it must not drag in a mingw runtime DLL that Windows does not have.
imports="$("$OBJDUMP" -p "$stage/SsprLogonCP.dll" "$stage/SsprLogonCP-winetest.dll" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)"
allowed='^(kernel32|advapi32|ole32|user32|gdi32|wtsapi32|bcrypt|msvcrt|ntdll|api-ms-win-[a-z0-9-]+)\.dll$'
bad="$(printf '%s\n' "$imports" | grep -Ev "$allowed" || true)"
if [ -n "$bad" ]; then
  echo "build-shim: SsprLogonCP.dll imports non-system DLLs:" >&2
  printf '%s\n' "$bad" >&2
  exit 1
fi
for f in SsprLogonCP.dll SsprLogonCP-winetest.dll SsprLogon.exe cp-harness.exe; do mv -f "$stage/$f" "$out/$f"; done
mv -f "$stage/core-test" "$out/native/core-test"
rmdir "$stage"
echo "build-shim: built SsprLogonCP.dll ($(stat -c %s "$out/SsprLogonCP.dll") bytes), SsprLogonCP-winetest.dll, SsprLogon.exe (stand-in), cp-harness.exe, native/core-test"
