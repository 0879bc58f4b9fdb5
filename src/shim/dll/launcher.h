// Starts SsprLogon.exe with a least-privilege token inside a kill-on-close job and waits for it under a
// watchdog. Runs on the shim's monitor thread, never on LogonUI's thread. See docs/shim-least-privilege.md.
#pragma once

#include <windows.h>

#include <string>

#include "../core/event_ids.h"
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
  // Which event reports a launch failure: 101 by default; 105 payload check, 107 product-data folder.
  EventId failureEvent = EventId::LaunchFailed;
  std::wstring failureDetail;  // fixed text plus a file name from the reference or the install folder
  bool productFolderTakenOver = false;
  bool accountCreated = false;  // the dedicated account was created for this launch (first use)  // %ProgramData%\SsprLogon (or a sub-folder) had another owner
  DWORD processId = 0;
  bool uiReady = false;
  // The job limits as handed to SetInformationJobObject (reported in event 100; wine cannot read them back).
  DWORD jobProcessLimit = 0;
  bool jobAllowsBreakaway = false;  // the overlay printed the UI-ready line (IsUiReadyLine) before it ended
};

// The real Windows version (RtlGetVersion: not subject to GetVersionEx's manifest-based answers).
OsVersion CurrentOsVersion();

// Called once the overlay process is running (after it joined the job and was resumed).
using StartedCallback = void (*)(void* context, DWORD processId, const LaunchResult& launch);

LaunchResult RunOverlay(const LaunchRequest& request, HANDLE stopEvent, StartedCallback onStarted, void* context);

}  // namespace sspr
