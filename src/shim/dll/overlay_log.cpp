#include "overlay_log.h"

#include <sddl.h>

#include "../core/policy.h"
#include "settings.h"

namespace sspr {
namespace {

constexpr std::size_t kMaxBytesPerRun = 4u << 20;
constexpr LONGLONG kRotateAtBytes = 10ll << 20;
// Administrators and SYSTEM only: helpdesk reads the logs as an admin; nobody else may plant or edit.
const wchar_t* const kLogFolderSddl = L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

std::wstring LogFolder() {
  const std::wstring product = EnsureProductDataFolder();
  return product.empty() ? std::wstring() : JoinPath(product, L"logs");
}

HANDLE OpenLogFile() {
  const std::wstring folder = LogFolder();
  if (folder.empty()) return INVALID_HANDLE_VALUE;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (ConvertStringSecurityDescriptorToSecurityDescriptorW(kLogFolderSddl, SDDL_REVISION_1, &descriptor, nullptr)) {
    SECURITY_ATTRIBUTES attributes = {sizeof attributes, descriptor, FALSE};
    CreateDirectoryW(folder.c_str(), &attributes);
    LocalFree(descriptor);
  }
  const DWORD attrs = GetFileAttributesW(folder.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY) || (attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
    return INVALID_HANDLE_VALUE;
  }
  const std::wstring path = OverlayLogPath();
  WIN32_FILE_ATTRIBUTE_DATA data;
  if (GetFileAttributesExW(path.c_str(), GetFileExInfoStandard, &data)) {
    const LONGLONG size = (static_cast<LONGLONG>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
    if (size > kRotateAtBytes) MoveFileExW(path.c_str(), JoinPath(folder, L"overlay.1.jsonl").c_str(), MOVEFILE_REPLACE_EXISTING);
  }
  return CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ, nullptr, OPEN_ALWAYS,
                     FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
}

}  // namespace

std::wstring OverlayLogPath() {
  const std::wstring folder = LogFolder();
  return folder.empty() ? std::wstring() : JoinPath(folder, L"overlay.jsonl");
}

bool OverlayLogReader::Start(HANDLE readEnd) {
  pipe_ = readEnd;
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

void OverlayLogReader::Store(const std::string& line) {
  if (observer_ != nullptr) observer_(observerContext_, line);
  if (capReached_) return;
  const std::string record = SanitizeOverlayLogLine(line, UtcNowIso());
  if (record.empty()) return;
  if (file_ == INVALID_HANDLE_VALUE) file_ = OpenLogFile();
  if (file_ == INVALID_HANDLE_VALUE) return;
  std::string out = record + "\n";
  if (written_ + out.size() > kMaxBytesPerRun) {
    capReached_ = true;
    out = "{\"time\":\"" + UtcNowIso() + "\",\"source\":\"overlay\",\"dropped\":true,\"reason\":\"per-run log cap reached\"}\n";
  }
  DWORD done = 0;
  WriteFile(file_, out.data(), static_cast<DWORD>(out.size()), &done, nullptr);
  written_ += done;
}

}  // namespace sspr
