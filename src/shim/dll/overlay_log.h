// Stores what the overlay writes to its stdout (JSON log lines) in the protected log folder: the overlay
// runs at Low integrity with a restricted token and cannot write there itself (DESIGN.md "Logs").
#pragma once

#include <windows.h>

#include <string>

namespace sspr {

// %ProgramData%\SsprLogon\logs\overlay.jsonl; rotated to overlay.1.jsonl past 10 MiB.
std::wstring OverlayLogPath();

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

  HANDLE pipe_ = nullptr;
  HANDLE thread_ = nullptr;
  HANDLE file_ = INVALID_HANDLE_VALUE;
  std::size_t written_ = 0;
  bool capReached_ = false;
  LineObserver observer_ = nullptr;
  void* observerContext_ = nullptr;
};

}  // namespace sspr
