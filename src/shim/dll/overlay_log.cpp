#include "overlay_log.h"

#include <bcrypt.h>

#include <vector>

#include "../core/policy.h"
#include "settings.h"
#include "../core/text_format.h"

namespace sspr {
namespace {

constexpr std::size_t kMaxBytesPerRun = 4u << 20;

std::wstring Wide(const std::string& ascii) { return std::wstring(ascii.begin(), ascii.end()); }

std::int64_t UnixNow() {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  const std::uint64_t ticks = (static_cast<std::uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
  return static_cast<std::int64_t>((ticks - 116444736000000000ull) / 10000000ull);
}

// Our own files in the folder (plain files only, never links), with their sizes.
std::vector<LogFileInfo> ListLogFiles(const SafeFolder& logs) {
  std::vector<LogFileInfo> files;
  for (const FolderEntry& entry : logs.List()) {
    if (entry.attributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) continue;
    const std::string name = ToUtf8(entry.name);
    if (!IsOwnLogFile(name)) continue;
    files.push_back({name, entry.size});
  }
  return files;
}

bool IsHexSalt(const std::string& text) {
  if (text.size() < 32 || text.size() > 128) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ReadSalt(const SafeFolder& logs) {
  HANDLE h = logs.OpenFile(Wide(kSaltFileName), GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING);
  if (h == INVALID_HANDLE_VALUE) return std::string();
  char buffer[256] = {};
  DWORD read = 0;
  if (!ReadFile(h, buffer, sizeof buffer - 1, &read, nullptr)) read = 0;
  CloseHandle(h);
  std::string text(buffer, read);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return IsHexSalt(text) ? text : std::string();
}

}  // namespace

std::string EnsureLogSalt(const SafeFolder& logs) {
  std::string salt = ReadSalt(logs);
  if (!salt.empty()) return salt;
  unsigned char random[32];
  if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, random, sizeof random, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
    return std::string();
  }
  static const char kHex[] = "0123456789abcdef";
  std::string fresh;
  for (unsigned char b : random) {
    fresh.push_back(kHex[b >> 4]);
    fresh.push_back(kHex[b & 15]);
  }
  // CREATE_NEW: a salt that exists already is never replaced (a broken one is reported by `doctor`), or every
  // earlier record could no longer be found by user.
  HANDLE h = logs.OpenFile(Wide(kSaltFileName), GENERIC_WRITE, 0, CREATE_NEW);
  if (h == INVALID_HANDLE_VALUE) return ReadSalt(logs);
  DWORD written = 0;
  const bool ok = WriteFile(h, fresh.data(), static_cast<DWORD>(fresh.size()), &written, nullptr) && written == fresh.size();
  CloseHandle(h);
  return ok ? fresh : ReadSalt(logs);
}

std::string OverlayHandshakeLine(const SafeFolder& logs) {
  const std::string salt = EnsureLogSalt(logs);
  return salt.empty() ? std::string("{}\n") : "{\"salt\":\"" + salt + "\"}\n";
}

void PruneLogFolder(const SafeFolder& logs, const LogFileSettings& settings) {
  for (const std::string& name : PlanLogDeletions(ListLogFiles(logs), UnixNow(), settings)) {
    logs.RemoveFile(Wide(name));
  }
}

bool OverlayLogReader::Start(HANDLE readEnd) {
  pipe_ = readEnd;
  settings_ = LoadLogFileSettings();
  thread_ = CreateThread(nullptr, 0, &OverlayLogReader::ThreadMain, this, 0, nullptr);
  return thread_ != nullptr;
}

void OverlayLogReader::Finish() {
  if (thread_ != nullptr) {
    if (WaitForSingleObject(thread_, 5000) != WAIT_OBJECT_0) {
      // A writer outside the job still holds the pipe: stop reading rather than wait for it.
      CancelSynchronousIo(thread_);
      WaitForSingleObject(thread_, 5000);
    }
    CloseHandle(thread_);
    thread_ = nullptr;
  }
  if (pipe_ != nullptr) CloseHandle(pipe_);
  pipe_ = nullptr;
  if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
  file_ = INVALID_HANDLE_VALUE;
}

DWORD WINAPI OverlayLogReader::ThreadMain(void* self) {
  try {
    static_cast<OverlayLogReader*>(self)->Run();
  } catch (...) {
    // Losing overlay log lines must never take LogonUI down.
  }
  return 0;
}

void OverlayLogReader::Run() {
  std::string pending;
  char chunk[4096];
  DWORD read = 0;
  while (ReadFile(pipe_, chunk, sizeof chunk, &read, nullptr) && read > 0) {
    pending.append(chunk, read);
    std::size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      Store(pending.substr(0, newline));
      pending.erase(0, newline + 1);
    }
    if (pending.size() > kMaxOverlayLogLineBytes) {
      Store(pending);
      pending.clear();
    }
  }
  if (!pending.empty()) Store(pending);
}

bool OverlayLogReader::OpenActive() {
  if (!pruned_) {
    pruned_ = true;
    // Retention and the size cap apply once per run before the first line, and again at every rotation.
    PruneLogFolder(logs_, settings_);
  }
  // DELETE: rotation renames this very handle, so the file rotated is the file written, whatever the name
  // points to by then. A link planted under the active name is refused: its lines are lost, nothing is
  // written through it.
  file_ = logs_.OpenFile(Wide(kActiveLogName), FILE_APPEND_DATA | DELETE, FILE_SHARE_READ, OPEN_ALWAYS);
  if (file_ == INVALID_HANDLE_VALUE) {
    const DWORD error = GetLastError();
    if (!refusalReported_) {
      refusalReported_ = true;
      // Another session's overlay holding the file is not tampering: say so, so nobody hunts for an attack.
      const wchar_t* why = error == ERROR_SHARING_VIOLATION
                               ? L"is in use by the overlay of another session at this moment"
                               : L"could not be opened safely (a hard link, a reparse point, another owner or no access; "
                                 L"nothing is written through it)";
      LogEvent(EventId::ActiveLogRefused, EventLevel::Warning, false,
               std::wstring(L"The overlay's log lines of this run are not stored: logs\\sspr-logon.jsonl in "
                            L"ProgramData\\SsprLogon ") +
                   why + L" (error " + DecimalW(error) + L").");
    }
    return false;
  }
  LARGE_INTEGER size = {};
  activeSize_ = GetFileSizeEx(file_, &size) ? static_cast<std::uint64_t>(size.QuadPart) : 0;
  return true;
}

void OverlayLogReader::Rotate() {
  std::vector<std::string> names;
  for (const auto& f : ListLogFiles(logs_)) names.push_back(f.name);
  logs_.Rename(file_, Wide(NextRotatedLogName(UnixNow(), names)));
  CloseHandle(file_);
  file_ = INVALID_HANDLE_VALUE;
  PruneLogFolder(logs_, settings_);
  OpenActive();
}

void OverlayLogReader::Store(const std::string& line) {
  if (observer_ != nullptr) observer_(observerContext_, line);
  if (capReached_) return;
  const std::string record = SanitizeOverlayLogLine(line, UtcNowIso());
  if (record.empty()) return;
  if (file_ == INVALID_HANDLE_VALUE && !OpenActive()) return;
  std::string out = record + "\n";
  if (written_ + out.size() > kMaxBytesPerRun) {
    capReached_ = true;
    out = "{\"time\":\"" + UtcNowIso() + "\",\"level\":\"warn\",\"event\":\"log.dropped\",\"source\":\"overlay\",\"dropped\":true,\"reason\":\"per-run log cap reached\"}\n";
  }
  if (activeSize_ > 0 && activeSize_ + out.size() > LogRotateAtBytes(settings_)) {
    Rotate();
    if (file_ == INVALID_HANDLE_VALUE) return;
  }
  DWORD done = 0;
  WriteFile(file_, out.data(), static_cast<DWORD>(out.size()), &done, nullptr);
  written_ += done;
  activeSize_ += done;
}

}  // namespace sspr
