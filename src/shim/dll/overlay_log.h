// The shim owns the log files on an install (DESIGN.md "Logs"): it stores what the overlay writes to its
// stdout (JSON log lines) in the protected log folder, which the overlay — Low integrity, restricted token —
// can neither write nor read. Names, rotation and retention follow src/shim/core/log_files.h, the contract
// the TypeScript logger and the `logs` reader share.
#pragma once

#include <windows.h>

#include <string>

#include "../core/log_files.h"

namespace sspr {

// %ProgramData%\SsprLogon\logs (created with its protected DACL when missing); "" when unusable.
std::wstring EnsureLogFolder();
// %ProgramData%\SsprLogon\logs\sspr-logon.jsonl
std::wstring OverlayLogPath();

// The per-machine salt of the user-id hash (logs\sspr-logon.salt, 64 hex characters), created once with the
// log folder's DACL and never replaced. "" when it can neither be read nor created.
std::string EnsureLogSalt();

// The first line the overlay reads on its stdin: {"salt":"<hex>"} (or {} without a salt). The salt reaches
// the overlay this way because it cannot read logs\ and a command line is readable by other processes.
std::string OverlayHandshakeLine();

class OverlayLogReader {
 public:
  OverlayLogReader() = default;
  OverlayLogReader(const OverlayLogReader&) = delete;
  OverlayLogReader& operator=(const OverlayLogReader&) = delete;
  ~OverlayLogReader() { Finish(); }

  // Sees every line the overlay writes, before it is stored (the launcher watches for the UI-ready line).
  using LineObserver = void (*)(void* context, const std::string& line);
  void SetLineObserver(LineObserver observer, void* context) {
    observer_ = observer;
    observerContext_ = context;
  }

  // Takes ownership of the pipe's read end and starts reading on a thread of its own.
  bool Start(HANDLE readEnd);
  // Waits for the end of the pipe (every writer gone), cancels a read that does not end, and joins.
  void Finish();

 private:
  static DWORD WINAPI ThreadMain(void* self);
  void Run();
  void Store(const std::string& line);
  bool OpenActive();
  void Rotate();

  HANDLE pipe_ = nullptr;
  HANDLE thread_ = nullptr;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  LogFileSettings settings_;
  std::wstring folder_;
  std::uint64_t activeSize_ = 0;
  std::size_t written_ = 0;
  bool capReached_ = false;
  LineObserver observer_ = nullptr;
  void* observerContext_ = nullptr;
};

// Applies LogRetentionDays and LogMaxSizeMB to the folder's rotated files now.
void PruneLogFolder(const std::wstring& folder, const LogFileSettings& settings);

}  // namespace sspr
