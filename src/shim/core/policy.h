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

// What the shim adds to the overlay's command line besides scenario, user and language.
struct LaunchExtras {
  std::uint32_t sessionLimitSeconds = 0;  // 0: not passed
};

// `"C:\...\SsprLogon.exe" --scenario=logon [--user=...] [--lang=...] [--session-limit=N]`
std::wstring BuildOverlayCommandLine(const std::wstring& exePath, Scenario scenario, const std::wstring& user,
                                     const std::wstring& lang, const LaunchExtras& extras = LaunchExtras());

// A local absolute path "X:\..." without "..", "\\?\", UNC or device forms: the overlay is only ever
// started from the protected install folder.
bool IsAcceptableInstallDir(const std::wstring& dir);
std::wstring JoinPath(const std::wstring& dir, const std::wstring& file);
// The folder part of a module path ("C:\a\b.dll" -> "C:\a"); empty when there is none.
std::wstring DirectoryOf(const std::wstring& path);

// This launch's folder under ProgramData\SsprLogon\Overlay is "run-" and 16 lower-case hex digits (random).
// Only names of exactly that shape are removed there when a later launch clears earlier runs' folders.
bool IsRunFolderName(const std::wstring& name);

// UseOverlayAccount: the policy value wins over the MSI setting; anything but 0 means on; default on.
bool ResolveUseOverlayAccount(const std::optional<std::uint32_t>& policy, const std::optional<std::uint32_t>& setting);

// Policy (GPO) wins over the MSI setting, which wins over the default. Unusable values are skipped.
bool IsUsableLinkText(const std::wstring& text);
std::wstring ResolveLinkText(const std::optional<std::wstring>& policy, const std::optional<std::wstring>& setting);

std::uint32_t ResolveWatchdogSeconds(const std::optional<std::uint32_t>& configured);

// The overlay's hard session limit: activity does not extend it (unlike the idle timeout), and it always
// ends before the watchdog, so a user holding a key gets a clean "session limit" end (exit code 12, never
// counted) instead of a watchdog kill. 60 s below the watchdog, or a quarter below it for short test
// watchdogs; at least 1 s.
constexpr std::uint32_t kSessionLimitMarginSeconds = 60;
std::uint32_t SessionLimitSeconds(std::uint32_t watchdogSeconds);

// Exit codes of SsprLogon.exe (mirrored by src/shared/exitCodes.ts; test/shim/exit-codes.test.ts checks
// that ClassifyEnd's switch and that file agree).
constexpr std::uint32_t kExitSessionLimit = 12;

// The overlay's main process prints this JSON line on its stdout/stderr pipe once the first screen shows
// ("UI ready"). Before it, a crash or hang counts toward self-disable (the install is broken); after it,
// nothing the overlay does counts, so no one at the tile can switch the link off for the whole machine.
// True when `line` is one JSON object whose top-level "event" member is "ui.ready".
bool IsUiReadyLine(const std::string& line);

// Windows version as RtlGetVersion reports it.
struct OsVersion {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
};

// Before Windows 8 (6.2) a process cannot be in two jobs, and Chromium puts each sandboxed child in a job of
// its own, asking for CREATE_BREAKAWAY_FROM_JOB. Our job forbids breakaway (the children must stay under
// kill-on-close, the process limit and the UI restrictions), so on Windows 7 the overlay sets Chromium's
// --allow-no-sandbox-job itself (it refuses that switch from its command line, like every sandbox-weakening
// one): the children keep their restricted tokens, Low/Untrusted integrity and alternate desktop, and lose
// only the per-child job, whose limits ours replaces. docs/shim.md "Windows 7".

// The job's active-process limit. Electron 22 at its peak: browser, GPU, network-service and storage/audio
// utilities (3), a renderer for our window, one for the portal view and one spare (3) = 8; doubled for
// headroom. Anything past it (a fork bomb from a compromised renderer) fails to start.
constexpr std::uint32_t kExpectedPeakProcesses = 8;
constexpr std::uint32_t kActiveProcessLimit = 2 * kExpectedPeakProcesses;

// ---- payload check (docs/shim.md "Payload check") --------------------------------------------------------
// The MSI writes one REG_SZ per checked file under HKLM\SOFTWARE\SsprLogon\Payload: name = path relative to
// the install folder ("SsprLogon.exe", "resources\app.asar", "ffmpeg.dll"), data = lower-case hex SHA-256.

// A relative path below the install folder: no drive, no leading '\', no "." or ".." segment, no '/', ':'
// (streams) or wildcard, at most 200 characters.
bool IsAcceptablePayloadName(const std::wstring& name);

// 64 hex digits (either case) into 32 bytes.
bool ParseSha256Hex(const std::wstring& hex, unsigned char out[32]);

// Files in the install folder itself that must be listed in the reference: the overlay loads every
// executable and DLL beside it, so an unlisted one (a planted DLL) refuses the launch.
bool MustBeInPayloadReference(const std::wstring& fileName);

// The dedicated account's password: kAccountPasswordChars characters drawn from `random` (two bytes per
// character: class, then character), with at least one upper-case letter, lower-case letter, digit and
// symbol so that any password complexity policy accepts it. Empty when fewer than kAccountPasswordRandomBytes
// random bytes are given.
constexpr std::size_t kAccountPasswordChars = 32;
constexpr std::size_t kAccountPasswordRandomBytes = 2 * kAccountPasswordChars;
std::wstring MakeAccountPassword(const unsigned char* random, std::size_t count);

// How an overlay run ended, as seen by the shim.
enum class EndKind {
  Exited,            // the process exited by itself with `exitCode`
  WatchdogKilled,    // still running at the watchdog deadline; the job was terminated
  LaunchFailed,      // it could not be started (including: no least-privilege token could be made)
  StoppedWithProvider,  // LogonUI released the provider (the user signed in, the tile went away)
  AccountUnavailable,   // the dedicated overlay account could not be created or logged on (never counted)
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

// `uiReady`: the overlay had printed the UI-ready line (IsUiReadyLine) before it ended. Only launch failures
// and crashes, errors or watchdog kills before UI ready count toward self-disable; after UI ready the same
// ends are reported but never counted.
Outcome ClassifyEnd(EndKind kind, std::uint32_t exitCode, bool uiReady = false);

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
