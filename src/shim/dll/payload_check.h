// Checks what the shim is about to start — SsprLogon.exe, resources\app.asar and every DLL beside the exe —
// against the SHA-256 values the MSI wrote under HKLM\SOFTWARE\SsprLogon\Payload, and keeps each checked
// file open with write and delete sharing denied until the overlay has ended, so nothing can be swapped
// between the check and the launch (docs/shim.md "Payload check").
#pragma once

#include <windows.h>

#include <string>
#include <vector>

namespace sspr {

class PayloadLock {
 public:
  PayloadLock() = default;
  PayloadLock(const PayloadLock&) = delete;
  PayloadLock& operator=(const PayloadLock&) = delete;
  ~PayloadLock();
  void Hold(HANDLE file) { files_.push_back(file); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<HANDLE> files_;
};

struct PayloadVerdict {
  bool ok = false;
  std::wstring file;    // the relative name that failed (from the reference or the folder; never user input)
  std::wstring reason;  // fixed text
  DWORD error = 0;
};

PayloadVerdict VerifyPayload(const std::wstring& installDir, PayloadLock* lock);

}  // namespace sspr
