#include "overlay_account.h"

#include <bcrypt.h>
#include <lm.h>

#include <cstdio>
#include <optional>
#include <vector>

#include "../core/policy.h"
#include "../core/text_format.h"

namespace sspr {

const wchar_t* const kOverlayAccountName = L"SsprLogonOverlay";

namespace {

const wchar_t* const kSettingsKey = L"SOFTWARE\\SsprLogon";
const wchar_t* const kStateKey = L"SOFTWARE\\SsprLogon\\State";
const wchar_t* const kUserListKey = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList";
const wchar_t* const kAccountComment = L"SSPR Logon: runs the password reset overlay on the sign-in screen. Managed by SsprLogonCP.dll.";
// A normal account whose password never expires (the shim sets a new one before every logon anyway) and that
// the account itself may not change.
constexpr DWORD kAccountFlags = UF_SCRIPT | UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD | UF_PASSWD_CANT_CHANGE;

class SystemApi final : public AccountApi {
 public:
  DWORD QueryUser(const std::wstring& name) override {
    BYTE* info = nullptr;
    const NET_API_STATUS status = NetUserGetInfo(nullptr, name.c_str(), 0, &info);
    if (info != nullptr) NetApiBufferFree(info);
    return status;
  }
  DWORD AddUser(const std::wstring& name, const std::wstring& password, const std::wstring& comment,
                DWORD flags) override {
    USER_INFO_1 info = {};
    info.usri1_name = const_cast<LPWSTR>(name.c_str());
    info.usri1_password = const_cast<LPWSTR>(password.c_str());
    info.usri1_priv = USER_PRIV_USER;
    info.usri1_comment = const_cast<LPWSTR>(comment.c_str());
    info.usri1_flags = flags;
    DWORD badField = 0;
    return NetUserAdd(nullptr, 1, reinterpret_cast<BYTE*>(&info), &badField);
  }
  DWORD SetPassword(const std::wstring& name, const std::wstring& password) override {
    USER_INFO_1003 info = {const_cast<LPWSTR>(password.c_str())};
    DWORD badField = 0;
    return NetUserSetInfo(nullptr, name.c_str(), 1003, reinterpret_cast<BYTE*>(&info), &badField);
  }
  DWORD LogOn(const std::wstring& name, const std::wstring& domain, const std::wstring& password, DWORD logonType,
              HANDLE* token) override {
    return LogonUserW(name.c_str(), domain.c_str(), password.c_str(), logonType, LOGON32_PROVIDER_DEFAULT, token)
               ? ERROR_SUCCESS
               : GetLastError();
  }
};

void WriteState(const wchar_t* status, DWORD error) {
  HKEY key = nullptr;
  if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, kStateKey, 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &key,
                      nullptr) != ERROR_SUCCESS) {
    return;
  }
  RegSetValueExW(key, L"AccountStatus", 0, REG_SZ, reinterpret_cast<const BYTE*>(status),
                 static_cast<DWORD>((wcslen(status) + 1) * sizeof(wchar_t)));
  RegSetValueExW(key, L"AccountError", 0, REG_DWORD, reinterpret_cast<const BYTE*>(&error), sizeof error);
  RegCloseKey(key);
}

// Hidden from the logon screen's user list (the account must never be a tile anyone can pick).
DWORD HideFromLogonScreen() {
  HKEY key = nullptr;
  DWORD rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, kUserListKey, 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr,
                             &key, nullptr);
  if (rc != ERROR_SUCCESS) return rc;
  const DWORD hidden = 0;
  rc = RegSetValueExW(key, kOverlayAccountName, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&hidden), sizeof hidden);
  RegCloseKey(key);
  return rc;
}

bool Fail(AccountLogon* logon, const wchar_t* step, const wchar_t* status, DWORD error) {
  logon->failedStep = step;
  logon->error = error == 0 ? ERROR_GEN_FAILURE : error;
  WriteState(status, logon->error);
  return false;
}

std::wstring FreshPassword() {
  unsigned char random[kAccountPasswordRandomBytes];
  if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, random, sizeof random, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
    return std::wstring();
  }
  std::wstring password = MakeAccountPassword(random, sizeof random);
  SecureZeroMemory(random, sizeof random);
  return password;
}

void Wipe(std::wstring* secret) {
  if (!secret->empty()) SecureZeroMemory(&(*secret)[0], secret->size() * sizeof(wchar_t));
  secret->clear();
}

#ifdef SSPR_WINE_TEST_BUILD
// Wine's NetUserAdd and LogonUser are stubs. The wine test build routes the calls through this recorder when
// HKLM\SOFTWARE\SsprLogon\TestAccountLog names a file: each call and its arguments become one JSON line
// (never the password itself: its length and character classes, and whether the logon used the password
// just set), and HKLM\SOFTWARE\SsprLogon\TestAccountFail = add | password | logon makes that call fail.
// The logon returns a copy of the caller's own token. Never compiled into SsprLogonCP.dll.
class RecordingApi final : public AccountApi {
 public:
  RecordingApi(std::wstring file, std::wstring failing) : file_(std::move(file)), failing_(std::move(failing)) {}
  DWORD QueryUser(const std::wstring& name) override {
    Record("{\"call\":\"QueryUser\",\"name\":\"" + Ascii(name) + "\"}");
    return exists_ ? NERR_Success : NERR_UserNotFound;
  }
  DWORD AddUser(const std::wstring& name, const std::wstring& password, const std::wstring& comment,
                DWORD flags) override {
    const std::string flagsText = "0x" + Hex(flags, 0, true);
    Record("{\"call\":\"AddUser\",\"name\":\"" + Ascii(name) + "\",\"level\":1,\"priv\":\"user\",\"flags\":\"" +
           flagsText + "\",\"comment\":\"" + Ascii(comment) + "\"," + Describe(password) + "}");
    if (failing_ == L"add") return ERROR_ACCESS_DENIED;
    exists_ = true;
    return NERR_Success;
  }
  DWORD SetPassword(const std::wstring& name, const std::wstring& password) override {
    Record("{\"call\":\"SetPassword\",\"name\":\"" + Ascii(name) + "\",\"level\":1003," + Describe(password) + "}");
    if (failing_ == L"password") return NERR_PasswordTooShort;
    password_ = password;
    return NERR_Success;
  }
  DWORD LogOn(const std::wstring& name, const std::wstring& domain, const std::wstring& password, DWORD logonType,
              HANDLE* token) override {
    Record("{\"call\":\"LogOn\",\"name\":\"" + Ascii(name) + "\",\"domain\":\"" + Ascii(domain) +
           "\",\"logonType\":" + Decimal(logonType) + ",\"passwordJustSet\":" +
           (password == password_ && !password.empty() ? "true" : "false") + "}");
    if (failing_ == L"logon") return ERROR_LOGON_TYPE_NOT_GRANTED;
    HANDLE own = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_ALL_ACCESS, &own)) return GetLastError();
    const BOOL ok = DuplicateTokenEx(own, TOKEN_ALL_ACCESS, nullptr, SecurityImpersonation, TokenPrimary, token);
    CloseHandle(own);
    return ok ? ERROR_SUCCESS : GetLastError();
  }

 private:
  static std::string Ascii(const std::wstring& text) {
    std::string out;
    for (wchar_t c : text) out.push_back(c >= 0x20 && c < 0x7f && c != L'"' && c != L'\\' ? static_cast<char>(c) : '?');
    return out;
  }
  static std::string Describe(const std::wstring& password) {
    bool upper = false, lower = false, digit = false, symbol = false;
    for (wchar_t c : password) {
      if (c >= L'A' && c <= L'Z') upper = true;
      else if (c >= L'a' && c <= L'z') lower = true;
      else if (c >= L'0' && c <= L'9') digit = true;
      else symbol = true;
    }
    return "\"passwordLength\":" + Decimal(password.size()) +
           ",\"passwordClasses\":" + Decimal(upper + lower + digit + symbol);
  }
  void Record(const std::string& line) {
    HANDLE h = CreateFileW(file_.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                           FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return;
    const std::string data = line + "\n";
    DWORD written = 0;
    WriteFile(h, data.data(), static_cast<DWORD>(data.size()), &written, nullptr);
    CloseHandle(h);
  }
  std::wstring file_;
  std::wstring failing_;
  std::wstring password_;
  bool exists_ = false;
};

std::wstring ReadSetting(const wchar_t* name) {
  wchar_t buffer[512] = {};
  DWORD size = sizeof buffer - sizeof(wchar_t);
  if (RegGetValueW(HKEY_LOCAL_MACHINE, kSettingsKey, name, RRF_RT_REG_SZ, nullptr, buffer,
                   &size) != ERROR_SUCCESS) {
    return std::wstring();
  }
  return buffer;
}
#endif

}  // namespace

AccountApi& SystemAccountApi() {
  static SystemApi api;
  return api;
}

AccountApi& ActiveAccountApi() {
#ifdef SSPR_WINE_TEST_BUILD
  const std::wstring file = ReadSetting(L"TestAccountLog");
  if (!file.empty()) {
    // One recorder per harness process, so "created on first use" is visible across clicks.
    static RecordingApi* recorder = new RecordingApi(file, ReadSetting(L"TestAccountFail"));
    return *recorder;
  }
#endif
  return SystemAccountApi();
}

bool LogOnOverlayAccount(AccountApi& api, AccountLogon* logon) {
  std::wstring password = FreshPassword();
  if (password.empty()) return Fail(logon, L"account-password-random", L"create-failed", ERROR_GEN_FAILURE);
  const DWORD query = api.QueryUser(kOverlayAccountName);
  if (query == NERR_UserNotFound) {
    const DWORD added = api.AddUser(kOverlayAccountName, password, kAccountComment, kAccountFlags);
    if (added != NERR_Success) {
      Wipe(&password);
      return Fail(logon, L"account-create", L"create-failed", added);
    }
    logon->created = true;
  } else if (query != NERR_Success) {
    Wipe(&password);
    return Fail(logon, L"account-query", L"create-failed", query);
  }
  const DWORD hidden = HideFromLogonScreen();
  if (hidden != ERROR_SUCCESS) {
    Wipe(&password);
    return Fail(logon, L"account-hide", L"create-failed", hidden);
  }
  // A new password before every logon: nothing to store, nothing to steal between launches.
  const DWORD set = api.SetPassword(kOverlayAccountName, password);
  if (set != NERR_Success) {
    Wipe(&password);
    return Fail(logon, L"account-password", L"password-failed", set);
  }
  HANDLE token = nullptr;
  const DWORD logged = api.LogOn(kOverlayAccountName, L".", password, LOGON32_LOGON_INTERACTIVE, &token);
  Wipe(&password);
  if (logged != ERROR_SUCCESS || token == nullptr) return Fail(logon, L"account-logon", L"logon-failed", logged);
  logon->token = token;
  WriteState(L"ok", 0);
  return true;
}

}  // namespace sspr
