// The shim owns the log files on an install (DESIGN.md "Logs"): it stores what the overlay writes to its
// stdout (JSON log lines) in the protected log folder, which the overlay — Low integrity, restricted token —
// can neither write nor read. Names, rotation and retention follow src/shim/core/log_files.h, the contract
// the TypeScript logger and the `logs` reader share.
#pragma once

#include <windows.h>

#include <string>

#include "../core/log_files.h"
#include "safe_folder.h"

namespace sspr {

// Every file of the log folder is opened, renamed and deleted through `logs`, the handle of
// %ProgramData%\SsprLogon\logs that the launcher opened with SafeFolder and holds for the run: never by a
// path string, never through a reparse point, never into a file with a second hard link (docs/shim.md
// "Overlay logs").

// The per-machine salt of the user-id hash (logs\sspr-logon.salt, 64 hex characters), created once with the
// log folder's DACL and never replaced. "" when it can neither be read nor created.
std::string EnsureLogSalt(const SafeFolder& logs);

// The first line the overlay reads on its stdin: {"salt":"<hex>"} (or {} without a salt). The salt reaches
// the overlay this way because it cannot read logs\ and a command line is readable by other processes.
std::string OverlayHandshakeLine(const SafeFolder& logs);

class OverlayLogReader {
 public:
  // `logs` must outlive the reader (the launcher holds both for the run).
  explicit OverlayLogReader(const SafeFolder& logs) : logs_(logs) {}
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
  const SafeFolder& logs_;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  LogFileSettings settings_;
  bool pruned_ = false;
  std::uint64_t activeSize_ = 0;
  std::size_t written_ = 0;
  bool capReached_ = false;
  bool refusalReported_ = false;  // event 108 once per run, however many lines find no safe file
  LineObserver observer_ = nullptr;
  void* observerContext_ = nullptr;
};

// Applies LogRetentionDays and LogMaxSizeMB to the folder's rotated files now.
void PruneLogFolder(const SafeFolder& logs, const LogFileSettings& settings);

}  // namespace sspr
