// Registry-backed settings and persisted state of the shim, and its Event Log writer.
#pragma once

#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>

#include "../core/log_files.h"
#include "../core/policy.h"

namespace sspr {

extern const wchar_t* const kClsidString;  // {63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}

struct ShimSettings {
  std::wstring linkText;
  std::wstring installDir;   // validated; empty when neither the registry nor the DLL folder is acceptable
  std::uint32_t watchdogSeconds = kDefaultWatchdogSeconds;
  bool verboseLogging = false;
  std::wstring debugLogFile;  // HKLM\SOFTWARE\SsprLogon DebugLogFile: mirrors Event Log records (diagnostics/tests)
};

ShimSettings LoadSettings();

// LogRetentionDays and LogMaxSizeMB from every layer, later wins: defaults < %ProgramData%\SsprLogon\config.json
// < HKLM\SOFTWARE\SsprLogon < HKLM\SOFTWARE\Policies\SsprLogon (the overlay's order, docs/admin.md).
LogFileSettings LoadLogFileSettings();

// Whether launches use the dedicated account: UseOverlayAccount (REG_DWORD, default 1) under
// HKLM\SOFTWARE\Policies\SsprLogon (Group Policy, wins) or HKLM\SOFTWARE\SsprLogon (MSI property USEOVERLAYACCOUNT).
bool OverlayAccountEnabled();

FailureState LoadFailureState();
void SaveFailureState(const FailureState& state);

// Writes one record to the Application log (source SsprLogon) and, when configured, to the debug log
// file. Verbose-only records are dropped unless EnableLogging is 1. `message` must be fixed text or already
// escaped; it is escaped again here, so user text can never forge a record.
void LogEvent(EventId id, EventLevel level, bool verboseOnly, const std::wstring& message);

HMODULE ThisModule();

// Creates %ProgramData%\SsprLogon if it is missing, with a protected DACL (SYSTEM and Administrators full,
// Users read) instead of ProgramData's inherited one, under which any user could create files in it.
// Returns the folder, or "" when ProgramData is unusable.
std::wstring EnsureProductDataFolder();

// Current UTC time as 2026-01-01T00:00:00.000Z.
std::string UtcNowIso();

}  // namespace sspr
