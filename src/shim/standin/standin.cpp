// Stand-in for the real overlay (SsprLogon.exe) in CI. It records how the shim started it — command line,
// environment, working directory, token facts, desktop, job — as one JSON line, then does what the test
// asked in a control file: exit with a code, crash, or hang.
//
// Files (next to the exe, because the shim gives the overlay a fixed command line and a minimal
// environment): SsprLogon.control (read; one line: "exit <code>" | "crash abort" | "crash av" | "hang" |
// "orphan <code>": start a child that hangs, then exit with <code>; prefixed with "ready " the stand-in
// first prints the UI-ready line like the real overlay's main process, with "quoted-ready " only a log
// record that quotes that line inside a string) | "attempt <upn>": read the shim's stdin handshake as the
// overlay's logger does, log one reset attempt for <upn> hashed with that salt, exit 0) and
// SsprLogon.record.jsonl (appended).
#include <windows.h>
#include <bcrypt.h>
#include <sddl.h>
#include <shellapi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "../core/policy.h"

namespace {

std::string Json(const std::wstring& text) {
  const std::string utf8 = sspr::ToUtf8(text);
  std::string out = "\"";
  for (unsigned char c : utf8) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

std::wstring OwnFolder() {
  wchar_t path[MAX_PATH + 1] = {};
  GetModuleFileNameW(nullptr, path, MAX_PATH);
  return sspr::DirectoryOf(path);
}

std::string TokenFacts() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
    return "\"token\":{\"error\":" + std::to_string(GetLastError()) + "}";
  }
  std::string out = "\"token\":{";
  BYTE buffer[4096];
  DWORD size = 0;
  if (GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size)) {
    LPWSTR sid = nullptr;
    if (ConvertSidToStringSidW(reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid, &sid)) {
      out += "\"user\":" + Json(sid) + ",";
      LocalFree(sid);
    }
  }
  if (GetTokenInformation(token, TokenIntegrityLevel, buffer, sizeof buffer, &size)) {
    PSID sid = reinterpret_cast<TOKEN_MANDATORY_LABEL*>(buffer)->Label.Sid;
    const DWORD rid = *GetSidSubAuthority(sid, *GetSidSubAuthorityCount(sid) - 1);
    out += "\"integrityRid\":" + std::to_string(rid) + ",";
  } else {
    out += "\"integrityError\":" + std::to_string(GetLastError()) + ",";
  }
  out += std::string("\"restricted\":") + (IsTokenRestricted(token) ? "true" : "false") + ",";
  if (GetTokenInformation(token, TokenRestrictedSids, buffer, sizeof buffer, &size)) {
    const auto* groups = reinterpret_cast<TOKEN_GROUPS*>(buffer);
    out += "\"restrictingSids\":[";
    for (DWORD i = 0; i < groups->GroupCount; ++i) {
      LPWSTR sid = nullptr;
      if (ConvertSidToStringSidW(groups->Groups[i].Sid, &sid)) {
        out += (i ? "," : "") + Json(sid);
        LocalFree(sid);
      }
    }
    out += "],";
  }
  if (GetTokenInformation(token, TokenGroups, buffer, sizeof buffer, &size)) {
    const auto* groups = reinterpret_cast<TOKEN_GROUPS*>(buffer);
    out += "\"denyOnlySids\":[";
    bool first = true;
    for (DWORD i = 0; i < groups->GroupCount; ++i) {
      if (!(groups->Groups[i].Attributes & SE_GROUP_USE_FOR_DENY_ONLY)) continue;
      LPWSTR sid = nullptr;
      if (ConvertSidToStringSidW(groups->Groups[i].Sid, &sid)) {
        out += (first ? "" : ",") + Json(sid);
        first = false;
        LocalFree(sid);
      }
    }
    out += "],";
  }
  if (GetTokenInformation(token, TokenPrivileges, buffer, sizeof buffer, &size)) {
    const auto* privileges = reinterpret_cast<TOKEN_PRIVILEGES*>(buffer);
    out += "\"privileges\":[";
    for (DWORD i = 0; i < privileges->PrivilegeCount; ++i) {
      wchar_t name[128];
      DWORD length = 128;
      LUID luid = privileges->Privileges[i].Luid;
      if (LookupPrivilegeNameW(nullptr, &luid, name, &length)) out += (i ? "," : "") + Json(name);
    }
    out += "],";
  }
  CloseHandle(token);
  out += "\"ok\":true}";
  return out;
}

std::string DesktopName() {
  HDESK desktop = GetThreadDesktop(GetCurrentThreadId());
  wchar_t name[256] = {};
  DWORD needed = 0;
  if (desktop == nullptr || !GetUserObjectInformationW(desktop, UOI_NAME, name, sizeof name, &needed)) return "null";
  return Json(name);
}

std::string Record(const std::wstring& action) {
  std::string out = "{\"pid\":" + std::to_string(GetCurrentProcessId());
  out += ",\"commandLine\":" + Json(GetCommandLineW());
  int argc = 0;
  LPWSTR* argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  out += ",\"args\":[";
  for (int i = 1; argv != nullptr && i < argc; ++i) out += (i > 1 ? "," : "") + Json(argv[i]);
  out += "]";
  if (argv != nullptr) LocalFree(argv);
  wchar_t cwd[MAX_PATH + 1] = {};
  GetCurrentDirectoryW(MAX_PATH, cwd);
  out += ",\"cwd\":" + Json(cwd);
  out += ",\"env\":{";
  LPWCH block = GetEnvironmentStringsW();
  bool first = true;
  for (LPWCH p = block; p != nullptr && *p != L'\0'; p += wcslen(p) + 1) {
    const std::wstring entry(p);
    const auto eq = entry.find(L'=', 1);
    if (eq == std::wstring::npos) continue;
    out += (first ? "" : ",") + Json(entry.substr(0, eq)) + ":" + Json(entry.substr(eq + 1));
    first = false;
  }
  if (block != nullptr) FreeEnvironmentStringsW(block);
  out += "}";
  BOOL inJob = FALSE;
  IsProcessInJob(GetCurrentProcess(), nullptr, &inJob);
  out += std::string(",\"inJob\":") + (inJob ? "true" : "false");
  DWORD session = 0;
  ProcessIdToSessionId(GetCurrentProcessId(), &session);
  out += ",\"sessionId\":" + std::to_string(session);
  out += ",\"desktop\":" + DesktopName();
  out += std::string(",\"stdoutIsPipe\":") + (GetFileType(GetStdHandle(STD_OUTPUT_HANDLE)) == FILE_TYPE_PIPE ? "true" : "false");
  out += "," + TokenFacts();
  out += ",\"action\":" + Json(action) + "}";
  return out;
}

std::wstring ReadControl(const std::wstring& path) {
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return L"exit 10";
  char buffer[256] = {};
  DWORD read = 0;
  ReadFile(h, buffer, sizeof buffer - 1, &read, nullptr);
  CloseHandle(h);
  std::wstring text;
  for (DWORD i = 0; i < read && buffer[i] != '\r' && buffer[i] != '\n'; ++i) text.push_back(buffer[i]);
  return text;
}

void Append(const std::wstring& path, const std::string& line) {
  HANDLE h = CreateFileW(path.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return;
  const std::string data = line + "\n";
  DWORD written = 0;
  WriteFile(h, data.data(), static_cast<DWORD>(data.size()), &written, nullptr);
  FlushFileBuffers(h);
  CloseHandle(h);
}

// The overlay logs JSON lines to stdout, a pipe the shim reads. Also try to forge a record.
void LogToStdout() {
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  if (out == nullptr || out == INVALID_HANDLE_VALUE) return;
  const std::string lines = "{\"level\":\"info\",\"event\":\"standin.started\",\"pid\":" +
                            std::to_string(GetCurrentProcessId()) +
                            "}\nforged\r\n{\"level\":\"error\",\"event\":\"standin.fake\"}\x1b[2J\nplain text\n";
  DWORD written = 0;
  WriteFile(out, lines.data(), static_cast<DWORD>(lines.size()), &written, nullptr);
}

// The first line of stdin, as the overlay reads the shim's handshake ({"salt":"<hex>"}).
std::string ReadHandshakeSalt() {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  if (in == nullptr || in == INVALID_HANDLE_VALUE) return std::string();
  std::string line;
  char c = 0;
  DWORD read = 0;
  while (line.size() < 4096 && ReadFile(in, &c, 1, &read, nullptr) && read == 1 && c != '\n') line.push_back(c);
  const std::string key = "\"salt\":\"";
  const auto at = line.find(key);
  if (at == std::string::npos) return std::string();
  const auto end = line.find('"', at + key.size());
  return end == std::string::npos ? std::string() : line.substr(at + key.size(), end - at - key.size());
}

std::string Sha256Hex(const std::string& text) {
  BCRYPT_ALG_HANDLE alg = nullptr;
  BCRYPT_HASH_HANDLE hash = nullptr;
  unsigned char digest[32] = {};
  if (BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, nullptr, 0))) {
    if (BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, nullptr, 0, nullptr, 0, 0))) {
      BCryptHashData(hash, reinterpret_cast<PUCHAR>(const_cast<char*>(text.data())), static_cast<ULONG>(text.size()), 0);
      BCryptFinishHash(hash, digest, sizeof digest, 0);
      BCryptDestroyHash(hash);
    }
    BCryptCloseAlgorithmProvider(alg, 0);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// One reset attempt in the overlay's record schema, the user hashed like src/main/core/logging.ts hashUserId and
// named on every record of the attempt, as the overlay's attempt logger does.
// Returns the correlation id.
std::string LogAttempt(const std::wstring& upn, const std::string& salt) {
  unsigned char random[16] = {};
  BCryptGenRandom(nullptr, random, sizeof random, BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  char id[40];
  std::snprintf(id, sizeof id, "%02x%02x%02x%02x-%02x%02x-4%01x%02x-a%01x%02x-%02x%02x%02x%02x%02x%02x", random[0],
                random[1], random[2], random[3], random[4], random[5], random[6] & 15, random[7], random[8] & 15,
                random[9], random[10], random[11], random[12], random[13], random[14], random[15]);
  std::string user = sspr::ToUtf8(upn);
  for (auto& c : user) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  const std::string hash = "h:" + Sha256Hex(salt + "\n" + user).substr(0, 16);
  SYSTEMTIME st;
  GetSystemTime(&st);
  char time[40];
  std::snprintf(time, sizeof time, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", st.wYear, st.wMonth, st.wDay, st.wHour,
                st.wMinute, st.wSecond, st.wMilliseconds);
  const std::string head = std::string("{\"time\":\"") + time + "\",\"level\":\"info\",\"event\":";
  const std::string lines = head + "\"flow.step\",\"correlationId\":\"" + id +
                            "\",\"scenario\":\"logon\",\"engine\":\"native\",\"step\":\"start\",\"outcome\":\"ok\","
                            "\"durationMs\":12,\"user\":\"" + hash + "\"}\n" +
                            head + "\"app.exit\",\"correlationId\":\"" + id + "\",\"exitCode\":0,\"user\":\"" + hash + "\"}\n";
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD written = 0;
  if (out != nullptr && out != INVALID_HANDLE_VALUE) WriteFile(out, lines.data(), static_cast<DWORD>(lines.size()), &written, nullptr);
  return id;
}

void WriteStdout(const std::string& text) {
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  if (out == nullptr || out == INVALID_HANDLE_VALUE) return;
  DWORD written = 0;
  WriteFile(out, text.data(), static_cast<DWORD>(text.size()), &written, nullptr);
}

// Like Electron's helper processes: a child that would outlive the overlay if nothing reaped it.
DWORD StartHangingChild() {
  wchar_t exe[MAX_PATH + 1] = {};
  GetModuleFileNameW(nullptr, exe, MAX_PATH);
  std::wstring commandLine = L"\"" + std::wstring(exe) + L"\" --stand-in-child";
  STARTUPINFOW startup = {};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process = {};
  if (!CreateProcessW(exe, &commandLine[0], nullptr, nullptr, FALSE, 0, nullptr, nullptr, &startup, &process)) return 0;
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  return process.dwProcessId;
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  const std::wstring folder = OwnFolder();
  const std::wstring record = sspr::JoinPath(folder, L"SsprLogon.record.jsonl");
  if (argc > 1 && std::wstring(argv[1]) == L"--stand-in-child") {
    Append(record, Record(L"child"));
    for (;;) Sleep(INFINITE);
  }
  std::wstring action = ReadControl(sspr::JoinPath(folder, L"SsprLogon.control"));
  Append(record, Record(action));
  if (action.rfind(L"attempt ", 0) == 0) {
    const std::string salt = ReadHandshakeSalt();
    const std::string id = LogAttempt(action.substr(8), salt);
    // What the test needs to look the attempt up; the salt itself stays out of this file.
    Append(record, "{\"attempt\":{\"correlationId\":\"" + id + "\",\"saltLength\":" + std::to_string(salt.size()) + "}}");
    return 0;
  }
  LogToStdout();
  if (action.rfind(L"ready ", 0) == 0) {
    WriteStdout("{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"info\",\"event\":\"ui.ready\"}\n");
    action = action.substr(6);
  } else if (action.rfind(L"quoted-ready ", 0) == 0) {
    WriteStdout("{\"level\":\"info\",\"event\":\"console\",\"message\":\"{\\\"event\\\":\\\"ui.ready\\\"}\",\"data\":{\"event\":\"ui.ready\"}}\n");
    action = action.substr(13);
  }

  if (action.rfind(L"exit ", 0) == 0) return _wtoi(action.c_str() + 5);
  if (action == L"crash abort") {
    abort();
  }
  if (action == L"crash av") {
    volatile int* nowhere = nullptr;
    *nowhere = 1;
  }
  if (action.rfind(L"orphan ", 0) == 0) {
    const DWORD child = StartHangingChild();
    // Exit only once the child has recorded itself, so the test knows which process must be reaped.
    for (int i = 0; i < 200 && child != 0; ++i) {
      HANDLE h = CreateFileW(record.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING, 0,
                             nullptr);
      char buffer[65536];
      DWORD read = 0;
      std::string text;
      if (h != INVALID_HANDLE_VALUE) {
        while (ReadFile(h, buffer, sizeof buffer, &read, nullptr) && read > 0) text.append(buffer, read);
        CloseHandle(h);
      }
      if (text.find("{\"pid\":" + std::to_string(child) + ",") != std::string::npos) break;
      Sleep(50);
    }
    return _wtoi(action.c_str() + 7);
  }
  if (action == L"hang") {
    // The wine test build of the shim starts its watchdog period from this line (src/shim/dll/launcher.cpp).
    WriteStdout("{\"level\":\"info\",\"event\":\"standin.hanging\"}\n");
    for (;;) Sleep(INFINITE);
  }
  return 1;
}
