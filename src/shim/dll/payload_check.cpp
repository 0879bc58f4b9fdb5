#include "payload_check.h"

#include <bcrypt.h>

#include <cstring>
#include <cwchar>
#include <cwctype>
#include <map>

#include "../core/policy.h"

namespace sspr {
namespace {

// kPayloadMismatch (577, "Windows cannot verify the digital signature for this file"): what an
// admin searching the Win32 error of event 105 should find. mingw-w64's winerror.h lacks the name.
constexpr DWORD kPayloadMismatch = 577;
const wchar_t* const kPayloadKey = L"SOFTWARE\\SsprLogon\\Payload";
constexpr DWORD kMaxReferenceEntries = 512;

PayloadVerdict Refuse(const std::wstring& file, const wchar_t* reason, DWORD error = kPayloadMismatch) {
  PayloadVerdict verdict;
  verdict.file = file;
  verdict.reason = reason;
  verdict.error = error == 0 ? kPayloadMismatch : error;
  return verdict;
}

// name (as written by the MSI) -> expected digest; false when the key is missing or holds a bad entry.
bool ReadReference(std::map<std::wstring, std::wstring>* reference, PayloadVerdict* problem) {
  HKEY key = nullptr;
  const LONG opened = RegOpenKeyExW(HKEY_LOCAL_MACHINE, kPayloadKey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key);
  if (opened != ERROR_SUCCESS) {
    *problem = Refuse(L"", L"no payload reference (HKLM\\SOFTWARE\\SsprLogon\\Payload); repair the MSI", opened);
    return false;
  }
  bool ok = true;
  for (DWORD i = 0; i < kMaxReferenceEntries; ++i) {
    wchar_t name[256];
    DWORD nameChars = 256;
    wchar_t data[80] = {};
    DWORD dataBytes = sizeof data - sizeof(wchar_t);
    DWORD type = 0;
    const LONG rc = RegEnumValueW(key, i, name, &nameChars, nullptr, &type, reinterpret_cast<BYTE*>(data), &dataBytes);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    unsigned char digest[32];
    if (rc != ERROR_SUCCESS || type != REG_SZ || !IsAcceptablePayloadName(name) ||
        !ParseSha256Hex(std::wstring(data, wcsnlen(data, dataBytes / sizeof(wchar_t))), digest)) {
      *problem = Refuse(rc == ERROR_SUCCESS ? std::wstring(name, nameChars) : L"", L"bad payload reference entry", rc);
      ok = false;
      break;
    }
    std::wstring lower(name, nameChars);
    for (auto& c : lower) c = static_cast<wchar_t>(towlower(c));
    (*reference)[lower] = std::wstring(data, 64);
  }
  RegCloseKey(key);
  if (ok && reference->count(L"ssprlogon.exe") == 0) {
    *problem = Refuse(L"SsprLogon.exe", L"the payload reference does not list the overlay");
    return false;
  }
  return ok;
}

bool Sha256OfHandle(HANDLE file, unsigned char digest[32]) {
  BCRYPT_ALG_HANDLE algorithm = nullptr;
  BCRYPT_HASH_HANDLE hash = nullptr;
  bool ok = BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&algorithm, BCRYPT_SHA256_ALGORITHM, nullptr, 0)) &&
            BCRYPT_SUCCESS(BCryptCreateHash(algorithm, &hash, nullptr, 0, nullptr, 0, 0));
  std::vector<unsigned char> buffer(1 << 16);
  while (ok) {
    DWORD read = 0;
    if (!ReadFile(file, buffer.data(), static_cast<DWORD>(buffer.size()), &read, nullptr)) ok = false;
    else if (read == 0) break;
    else ok = BCRYPT_SUCCESS(BCryptHashData(hash, buffer.data(), read, 0));
  }
  if (ok) ok = BCRYPT_SUCCESS(BCryptFinishHash(hash, digest, 32, 0));
  if (hash != nullptr) BCryptDestroyHash(hash);
  if (algorithm != nullptr) BCryptCloseAlgorithmProvider(algorithm, 0);
  return ok;
}

}  // namespace

PayloadLock::~PayloadLock() {
  for (HANDLE h : files_) CloseHandle(h);
}

PayloadVerdict VerifyPayload(const std::wstring& installDir, PayloadLock* lock) {
  std::map<std::wstring, std::wstring> reference;
  PayloadVerdict problem;
  if (!ReadReference(&reference, &problem)) return problem;

  // Every executable and DLL beside the overlay must be in the reference: a planted DLL is refused too.
  WIN32_FIND_DATAW found;
  HANDLE search = FindFirstFileW(JoinPath(installDir, L"*").c_str(), &found);
  if (search != INVALID_HANDLE_VALUE) {
    do {
      if (found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
      std::wstring lower = found.cFileName;
      for (auto& c : lower) c = static_cast<wchar_t>(towlower(c));
      if (MustBeInPayloadReference(lower) && reference.count(lower) == 0) {
        FindClose(search);
        return Refuse(EscapeForLog(found.cFileName, 80), L"a program file beside the overlay is not in the payload reference");
      }
    } while (FindNextFileW(search, &found));
    FindClose(search);
  }

  for (const auto& [name, hex] : reference) {
    const std::wstring path = JoinPath(installDir, name);
    // Read sharing only: from here until the overlay has ended nobody may write, rename or delete the file.
    HANDLE file = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
    if (file == INVALID_HANDLE_VALUE) return Refuse(name, L"a payload file cannot be opened for the check", GetLastError());
    lock->Hold(file);
    BY_HANDLE_FILE_INFORMATION info = {};
    if (!GetFileInformationByHandle(file, &info) ||
        (info.dwFileAttributes & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY))) {
      return Refuse(name, L"a payload file is a link or folder");
    }
    unsigned char expected[32];
    unsigned char actual[32];
    ParseSha256Hex(hex, expected);
    if (!Sha256OfHandle(file, actual)) return Refuse(name, L"a payload file could not be read", GetLastError());
    if (std::memcmp(expected, actual, 32) != 0) return Refuse(name, L"a payload file differs from what was installed");
  }
  PayloadVerdict verdict;
  verdict.ok = true;
  return verdict;
}

}  // namespace sspr
