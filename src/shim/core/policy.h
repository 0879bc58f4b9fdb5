// Launch, exit-code, self-disable and logging rules of the shim as plain C++ (no <windows.h>), so that the
// same code is unit-tested natively on Linux (test/shim/native/core_test.cpp) and linked into the DLL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "event_ids.h"

namespace sspr {

enum class Scenario { Logon, Unlock };

constexpr std::uint32_t kFailureThreshold = 3;
constexpr std::uint32_t kDefaultWatchdogSeconds = 15 * 60;
constexpr std::uint32_t kMinWatchdogSeconds = 2;
constexpr std::uint32_t kMaxWatchdogSeconds = 4 * 60 * 60;
constexpr std::size_t kMaxLinkTextChars = 64;
constexpr std::size_t kMaxTileUserChars = 256;

extern const wchar_t* const kDefaultLinkText;
extern const wchar_t* const kOverlayExeName;

// Quotes one argument so that CommandLineToArgvW / the MSVC CRT give back exactly `arg`.
std::wstring QuoteArgument(const std::wstring& arg);

// BCP 47-ish: letters, digits and '-', 2..35 chars, starting with a letter. Anything else is dropped.
bool IsSafeLanguageTag(const std::wstring& tag);

// Removes control, bidi-override and other format characters and caps the length; the tile user name
// ends up on a command line, so nothing that could change how it is read may pass.
std::wstring SanitizeTileUser(const std::wstring& user);

// `"C:\...\SsprLogon.exe" --scenario=logon [--user=...] [--lang=...]`
std::wstring BuildOverlayCommandLine(const std::wstring& exePath, Scenario scenario, const std::wstring& user,
                                     const std::wstring& lang);

// A local absolute path "X:\..." without "..", "\\?\", UNC or device forms: the overlay is only ever
// started from the protected install folder.
bool IsAcceptableInstallDir(const std::wstring& dir);
std::wstring JoinPath(const std::wstring& dir, const std::wstring& file);
// The folder part of a module path ("C:\a\b.dll" -> "C:\a"); empty when there is none.
std::wstring DirectoryOf(const std::wstring& path);

// Policy (GPO) wins over the MSI setting, which wins over the default. Unusable values are skipped.
bool IsUsableLinkText(const std::wstring& text);
std::wstring ResolveLinkText(const std::optional<std::wstring>& policy, const std::optional<std::wstring>& setting);

std::uint32_t ResolveWatchdogSeconds(const std::optional<std::uint32_t>& configured);

// How an overlay run ended, as seen by the shim.
enum class EndKind {
  Exited,            // the process exited by itself with `exitCode`
  WatchdogKilled,    // still running at the watchdog deadline; the job was terminated
  LaunchFailed,      // it could not be started (including: no least-privilege token could be made)
  StoppedWithProvider,  // LogonUI released the provider (the user signed in, the tile went away)
};

enum class FailureEffect { None, Reset, Count };

enum class TileIcon { None, Success, Warning, Error };

struct Outcome {
  EventId eventId;
  EventLevel level;
  bool verboseOnly;
  FailureEffect effect;
  TileIcon icon;
  std::wstring tileMessage;  // empty: show nothing
  std::wstring logMessage;   // fixed text, never user input
};

// A crash is an NTSTATUS error code as exit code (access violation, stack overrun, fail-fast, ...) or the
// CRT's abort() exit code 3.
bool IsCrashExitCode(std::uint32_t exitCode);

Outcome ClassifyEnd(EndKind kind, std::uint32_t exitCode);

struct FailureState {
  std::uint32_t consecutiveFailures = 0;
  bool disabled = false;
};

// Counting failures turns the provider off at kFailureThreshold; a defined outcome resets the counter.
FailureState NextFailureState(const FailureState& current, FailureEffect effect,
                              std::uint32_t threshold = kFailureThreshold);

// Makes text safe as an Event Log insertion string and a log line: control characters, line and paragraph
// separators, bidi controls and '%' (insertion-string syntax) become \uXXXX; the result is capped.
std::wstring EscapeForLog(const std::wstring& text, std::size_t maxChars = 512);

// UTF-16/32 wide string to UTF-8 (lone surrogates become U+FFFD).
std::string ToUtf8(const std::wstring& text);

// One JSON line for the debug log file: {"time":..,"id":..,"level":..,"verbose":..,"message":..}
std::string FormatDebugRecord(const std::string& isoTime, EventId id, EventLevel level, bool verboseOnly,
                              const std::wstring& message);

const char* LevelName(EventLevel level);

// The overlay writes its JSON log lines to stdout, a pipe the shim reads (the overlay itself cannot write
// to the protected log folder). A line is stored verbatim when it looks like one JSON object on one line;
// anything else — control characters, no braces, oversized — is stored escaped inside a wrapper record,
// so an overlay can never forge or split records. Returns "" for blank lines.
constexpr std::size_t kMaxOverlayLogLineBytes = 16 * 1024;
std::string SanitizeOverlayLogLine(const std::string& raw, const std::string& isoTime,
                                   std::size_t maxBytes = kMaxOverlayLogLineBytes);

}  // namespace sspr
