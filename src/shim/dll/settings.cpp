#include "settings.h"

#include <sddl.h>

#include <cstdio>
#include <vector>
#include "../core/text_format.h"

namespace sspr {

const wchar_t* const kClsidString = L"{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}";

namespace {

const wchar_t* const kSettingsKey = L"SOFTWARE\\SsprLogon";
const wchar_t* const kPolicyKey = L"SOFTWARE\\Policies\\SsprLogon";
const wchar_t* const kStateKey = L"SOFTWARE\\SsprLogon\\State";
const wchar_t* const kProviderKey =
    L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Authentication\\Credential Providers\\"
    L"{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}";

std::optional<std::uint32_t> ReadDword(const wchar_t* subKey, const wchar_t* name) {
  DWORD value = 0;
  DWORD size = sizeof value;
  DWORD type = 0;
  HKEY key = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, subKey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS)
    return std::nullopt;
  const LONG rc = RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(&value), &size);
  RegCloseKey(key);
  if (rc != ERROR_SUCCESS || type != REG_DWORD || size != sizeof value) return std::nullopt;
  return value;
}

std::optional<std::wstring> ReadString(const wchar_t* subKey, const wchar_t* name) {
  HKEY key = nullptr;
  if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, subKey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS)
    return std::nullopt;
  DWORD type = 0;
  DWORD size = 0;
  LONG rc = RegQueryValueExW(key, name, nullptr, &type, nullptr, &size);
  // Settings are short; a huge value is not a setting.
  if (rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ) || size > 64 * 1024) {
    RegCloseKey(key);
    return std::nullopt;
  }
  std::vector<wchar_t> buffer(size / sizeof(wchar_t) + 1, L'\0');
  rc = RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE*>(buffer.data()), &size);
  RegCloseKey(key);
  if (rc != ERROR_SUCCESS) return std::nullopt;
  buffer[buffer.size() - 1] = L'\0';
  // REG_EXPAND_SZ is read literally: expanding environment variables of LogonUI adds nothing but risk.
  return std::wstring(buffer.data());
}

void WriteDword(const wchar_t* subKey, const wchar_t* name, DWORD value) {
  HKEY key = nullptr;
  if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, subKey, 0, nullptr, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, nullptr, &key,
                      nullptr) != ERROR_SUCCESS)
    return;
  RegSetValueExW(key, name, 0, REG_DWORD, reinterpret_cast<const BYTE*>(&value), sizeof value);
  RegCloseKey(key);
}

std::wstring ModuleFolder() {
  wchar_t path[MAX_PATH + 1] = {};
  const DWORD n = GetModuleFileNameW(ThisModule(), path, MAX_PATH);
  if (n == 0 || n >= MAX_PATH) return std::wstring();
  return DirectoryOf(path);
}

WORD EventType(EventLevel level) {
  switch (level) {
    case EventLevel::Info:
      return EVENTLOG_INFORMATION_TYPE;
    case EventLevel::Warning:
      return EVENTLOG_WARNING_TYPE;
    case EventLevel::Error:
      return EVENTLOG_ERROR_TYPE;
  }
  return EVENTLOG_ERROR_TYPE;
}

void AppendDebugRecord(const std::wstring& file, const std::string& line) {
  HANDLE h = CreateFileW(file.c_str(), FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return;
  const std::string record = line + "\n";
  DWORD written = 0;
  WriteFile(h, record.data(), static_cast<DWORD>(record.size()), &written, nullptr);
  CloseHandle(h);
}

// A registry layer's value: REG_DWORD, or a REG_SZ of digits (as the overlay accepts).
std::optional<std::uint32_t> ReadNumber(const wchar_t* subKey, const wchar_t* name) {
  if (const auto dword = ReadDword(subKey, name)) return dword;
  const auto text = ReadString(subKey, name);
  if (!text || text->empty() || text->size() > 9) return std::nullopt;
  std::uint32_t value = 0;
  for (wchar_t c : *text) {
    if (c < L'0' || c > L'9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - L'0');
  }
  return value;
}

// config.json of the data folder: small, a plain file (no link), read whole. "" when absent or unusable.
std::string ReadConfigJson() {
  wchar_t programData[MAX_PATH + 1] = {};
  const DWORD n = GetEnvironmentVariableW(L"ProgramData", programData, MAX_PATH);
  if (n == 0 || n >= MAX_PATH || !IsAcceptableInstallDir(programData)) return std::string();
  const std::wstring path = JoinPath(JoinPath(programData, L"SsprLogon"), L"config.json");
  HANDLE h = CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) return std::string();
  std::string text;
  BY_HANDLE_FILE_INFORMATION info;
  // Same limit as the overlay (256 KiB); a bigger file is ignored there too.
  if (GetFileInformationByHandle(h, &info) && !(info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) &&
      info.nFileSizeHigh == 0 && info.nFileSizeLow <= 256 * 1024) {
    text.resize(info.nFileSizeLow);
    DWORD read = 0;
    if (!ReadFile(h, &text[0], info.nFileSizeLow, &read, nullptr)) read = 0;
    text.resize(read);
  }
  CloseHandle(h);
  return text;
}

}  // namespace

LogFileSettings LoadLogFileSettings() {
  LogFileSettings settings;
  const std::string config = ReadConfigJson();
  for (const char* name : {"LogRetentionDays", "LogMaxSizeMB"}) {
    const std::wstring wide(name, name + std::char_traits<char>::length(name));
    ApplyLogSetting(&settings, name, JsonTopLevelUint(config, name));
    ApplyLogSetting(&settings, name, ReadNumber(kSettingsKey, wide.c_str()));
    ApplyLogSetting(&settings, name, ReadNumber(kPolicyKey, wide.c_str()));
  }
  return settings;
}

std::wstring EnsureProductDataFolder() {
  wchar_t programData[MAX_PATH + 1] = {};
  const DWORD n = GetEnvironmentVariableW(L"ProgramData", programData, MAX_PATH);
  if (n == 0 || n >= MAX_PATH || !IsAcceptableInstallDir(programData)) return std::wstring();
  const std::wstring folder = JoinPath(programData, L"SsprLogon");
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)",
                                                           SDDL_REVISION_1, &descriptor, nullptr)) {
    SECURITY_ATTRIBUTES attributes = {sizeof attributes, descriptor, FALSE};
    CreateDirectoryW(folder.c_str(), &attributes);
    LocalFree(descriptor);
  }
  const DWORD attrs = GetFileAttributesW(folder.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY) || (attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
    return std::wstring();
  }
  return folder;
}

std::string UtcNowIso() {
  SYSTEMTIME st;
  GetSystemTime(&st);
  return Decimal(st.wYear, 4) + "-" + Decimal(st.wMonth, 2) + "-" + Decimal(st.wDay, 2) + "T" + Decimal(st.wHour, 2) + ":" +
         Decimal(st.wMinute, 2) + ":" + Decimal(st.wSecond, 2) + "." + Decimal(st.wMilliseconds, 3) + "Z";
}

bool OverlayAccountEnabled() {
  return ResolveUseOverlayAccount(ReadDword(kPolicyKey, L"UseOverlayAccount"), ReadDword(kSettingsKey, L"UseOverlayAccount"));
}

ShimSettings LoadSettings() {
  ShimSettings s;
  s.linkText = ResolveLinkText(ReadString(kPolicyKey, L"LinkText"), ReadString(kSettingsKey, L"LinkText"));
  const auto configuredDir = ReadString(kSettingsKey, L"InstallDir");
  if (configuredDir && IsAcceptableInstallDir(*configuredDir)) {
    s.installDir = *configuredDir;
  } else {
    const std::wstring own = ModuleFolder();
    if (IsAcceptableInstallDir(own)) s.installDir = own;
  }
  s.watchdogSeconds = ResolveWatchdogSeconds(ReadDword(kSettingsKey, L"WatchdogSeconds"));
  s.verboseLogging = ReadDword(kProviderKey, L"EnableLogging").value_or(0) == 1 ||
                     ReadDword(kSettingsKey, L"EnableLogging").value_or(0) == 1 ||
                     ReadDword(kPolicyKey, L"EnableLogging").value_or(0) == 1;
  s.debugLogFile = ReadString(kSettingsKey, L"DebugLogFile").value_or(L"");
  return s;
}

FailureState LoadFailureState() {
  FailureState state;
  state.consecutiveFailures = ReadDword(kStateKey, L"ConsecutiveFailures").value_or(0);
  state.disabled = ReadDword(kStateKey, L"Disabled").value_or(0) != 0;
  return state;
}

void SaveFailureState(const FailureState& state) {
  WriteDword(kStateKey, L"ConsecutiveFailures", state.consecutiveFailures);
  WriteDword(kStateKey, L"Disabled", state.disabled ? 1 : 0);
}

void LogEvent(EventId id, EventLevel level, bool verboseOnly, const std::wstring& message) {
  const ShimSettings settings = LoadSettings();
  if (verboseOnly && !settings.verboseLogging) return;
  const std::wstring escaped = EscapeForLog(message);
  HANDLE source = RegisterEventSourceW(nullptr, L"SsprLogon");
  if (source != nullptr) {
    const wchar_t* strings[1] = {escaped.c_str()};
    ReportEventW(source, EventType(level), 0, static_cast<DWORD>(id), nullptr, 1, 0, strings, nullptr);
    DeregisterEventSource(source);
  }
  if (!settings.debugLogFile.empty()) {
    AppendDebugRecord(settings.debugLogFile, FormatDebugRecord(UtcNowIso(), id, level, verboseOnly, message));
  }
}

}  // namespace sspr
