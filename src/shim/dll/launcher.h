// Starts SsprLogon.exe with a least-privilege token inside a kill-on-close job and waits for it under a
// watchdog. Runs on the shim's monitor thread, never on LogonUI's thread. See docs/shim-least-privilege.md.
#pragma once

#include <windows.h>

#include <string>

#include "../core/policy.h"

namespace sspr {

struct LaunchRequest {
  std::wstring exePath;
  std::wstring commandLine;
  std::wstring workingDir;
  std::wstring desktopName;  // the desktop inside winsta0, "Winlogon" on a real logon screen
  DWORD watchdogMs = kDefaultWatchdogSeconds * 1000;
};

struct LaunchResult {
  EndKind kind = EndKind::LaunchFailed;
  DWORD exitCode = 0;
  DWORD win32Error = 0;
  std::wstring failedStep;     // which step failed when kind == LaunchFailed
  bool leastPrivilegeRefused = false;  // the restricted token could not be made: nothing was started
  DWORD processId = 0;
};

// Called once the overlay process is running (after it joined the job and was resumed).
using StartedCallback = void (*)(void* context, DWORD processId);

LaunchResult RunOverlay(const LaunchRequest& request, HANDLE stopEvent, StartedCallback onStarted, void* context);

}  // namespace sspr
