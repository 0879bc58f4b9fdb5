// cp-harness.exe — drives a credential provider through COM the way LogonUI does and prints one JSON line
// per observation on stdout, for tests (ours under wine, and the MSI tests against an installed DLL).
//
//   cp-harness.exe [--clsid {GUID}] [--control <path to SsprLogon.control>] [--wait-ms N] step...
//
// Steps:
//   walk                   every usage scenario, the field descriptors, the credential and its fields
//   open:logon|unlock      a fresh provider instance in that scenario (LogonUI's own sequence)
//   click:<control line>   write the control line (e.g. "exit 0", "crash av", "hang") for the stand-in,
//                          click the link, wait for CredentialsChanged and print the tile afterwards
//   doubleclick:<control>  two clicks in a row while the first overlay runs
//   release-running:<control>  click, wait until the overlay runs, release the provider, report whether
//                          the overlay process was ended
//   state                  the persisted failure state (HKLM\SOFTWARE\SsprLogon\State)
//
// --winlogon-desktop creates the "Winlogon" desktop in winsta0 first, as on a real logon screen (wine has
// none); the shim starts the overlay there.
#include <windows.h>
#include <objbase.h>

#include <cstdio>
#include <string>
#include <vector>

#include "../include/credprov_min.h"

namespace {

const wchar_t* const kDefaultClsid = L"{63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB}";
const DWORD kLinkField = 2;
const DWORD kStatusField = 3;

std::string Utf8(const std::wstring& w) {
  if (w.empty()) return std::string();
  const int n = WideCharToMultiByte(CP_UTF8, 0, w.c_str(), static_cast<int>(w.size()), nullptr, 0, nullptr, nullptr);
  std::string out(n, '\0');
  WideCharToMultiByte(CP_UTF8, 0, w.c_str(), static_cast<int>(w.size()), &out[0], n, nullptr, nullptr);
  return out;
}

std::string Json(const std::wstring& w) {
  std::string out = "\"";
  for (unsigned char c : Utf8(w)) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      out += b;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out + "\"";
}

std::string Hr(HRESULT hr) {
  char b[16];
  std::snprintf(b, sizeof b, "\"0x%08lX\"", static_cast<unsigned long>(hr));
  return b;
}

void Emit(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

const char* StateName(CREDENTIAL_PROVIDER_FIELD_STATE s) {
  switch (s) {
    case CPFS_HIDDEN: return "hidden";
    case CPFS_DISPLAY_IN_SELECTED_TILE: return "selected";
    case CPFS_DISPLAY_IN_DESELECTED_TILE: return "deselected";
    case CPFS_DISPLAY_IN_BOTH: return "both";
  }
  return "unknown";
}

const char* TypeName(CREDENTIAL_PROVIDER_FIELD_TYPE t) {
  switch (t) {
    case CPFT_LARGE_TEXT: return "large-text";
    case CPFT_SMALL_TEXT: return "small-text";
    case CPFT_COMMAND_LINK: return "command-link";
    case CPFT_EDIT_TEXT: return "edit-text";
    case CPFT_PASSWORD_TEXT: return "password-text";
    case CPFT_TILE_IMAGE: return "tile-image";
    case CPFT_CHECKBOX: return "checkbox";
    case CPFT_COMBOBOX: return "combobox";
    case CPFT_SUBMIT_BUTTON: return "submit-button";
    default: return "invalid";
  }
}

// What LogonUI gives a provider: CredentialsChanged may arrive on any thread.
class ProviderEvents final : public ICredentialProviderEvents {
 public:
  ProviderEvents() { changed_ = CreateEventW(nullptr, FALSE, FALSE, nullptr); }
  IFACEMETHODIMP QueryInterface(REFIID riid, void** ppv) override {
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_SsprICredentialProviderEvents)) {
      *ppv = static_cast<ICredentialProviderEvents*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  IFACEMETHODIMP_(ULONG) AddRef() override { return InterlockedIncrement(&refs_); }
  IFACEMETHODIMP_(ULONG) Release() override {
    const LONG left = InterlockedDecrement(&refs_);
    if (left == 0) delete this;
    return left;
  }
  IFACEMETHODIMP CredentialsChanged(UINT_PTR context) override {
    lastContext_ = context;
    InterlockedIncrement(&count_);
    SetEvent(changed_);
    return S_OK;
  }
  bool Wait(DWORD ms) { return WaitForSingleObject(changed_, ms) == WAIT_OBJECT_0; }
  void Reset() { ResetEvent(changed_); }
  UINT_PTR lastContext() const { return lastContext_; }

 private:
  ~ProviderEvents() { CloseHandle(changed_); }
  LONG refs_ = 1;
  LONG count_ = 0;
  volatile UINT_PTR lastContext_ = 0;
  HANDLE changed_;
};

class CredentialEvents final : public ICredentialProviderCredentialEvents {
 public:
  IFACEMETHODIMP QueryInterface(REFIID riid, void** ppv) override {
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_SsprICredentialProviderCredentialEvents)) {
      *ppv = static_cast<ICredentialProviderCredentialEvents*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  IFACEMETHODIMP_(ULONG) AddRef() override { return InterlockedIncrement(&refs_); }
  IFACEMETHODIMP_(ULONG) Release() override {
    const LONG left = InterlockedDecrement(&refs_);
    if (left == 0) delete this;
    return left;
  }
  IFACEMETHODIMP SetFieldState(ICredentialProviderCredential*, DWORD field, CREDENTIAL_PROVIDER_FIELD_STATE s) override {
    Emit("{\"event\":\"SetFieldState\",\"field\":" + std::to_string(field) + ",\"state\":\"" + StateName(s) + "\"}");
    return S_OK;
  }
  IFACEMETHODIMP SetFieldInteractiveState(ICredentialProviderCredential*, DWORD,
                                          CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE) override {
    return S_OK;
  }
  IFACEMETHODIMP SetFieldString(ICredentialProviderCredential*, DWORD field, LPCWSTR text) override {
    Emit("{\"event\":\"SetFieldString\",\"field\":" + std::to_string(field) +
         ",\"text\":" + Json(text != nullptr ? text : L"") + "}");
    return S_OK;
  }
  IFACEMETHODIMP SetFieldCheckbox(ICredentialProviderCredential*, DWORD, BOOL, LPCWSTR) override { return S_OK; }
  IFACEMETHODIMP SetFieldBitmap(ICredentialProviderCredential*, DWORD, HBITMAP) override { return S_OK; }
  IFACEMETHODIMP SetFieldComboBoxSelectedItem(ICredentialProviderCredential*, DWORD, DWORD) override { return S_OK; }
  IFACEMETHODIMP DeleteFieldComboBoxItem(ICredentialProviderCredential*, DWORD, DWORD) override { return S_OK; }
  IFACEMETHODIMP AppendFieldComboBoxItem(ICredentialProviderCredential*, DWORD, LPCWSTR) override { return S_OK; }
  IFACEMETHODIMP SetFieldSubmitButton(ICredentialProviderCredential*, DWORD, DWORD) override { return S_OK; }
  IFACEMETHODIMP OnCreatingWindow(HWND* owner) override {
    if (owner != nullptr) *owner = nullptr;
    return S_OK;
  }

 private:
  ~CredentialEvents() = default;
  LONG refs_ = 1;
};

struct Options {
  CLSID clsid = {};
  std::wstring control;
  DWORD waitMs = 120000;
};

struct Session {
  ICredentialProvider* provider = nullptr;
  ProviderEvents* events = nullptr;
  CredentialEvents* credentialEvents = nullptr;
  ICredentialProviderCredential* credential = nullptr;

  void Close() {
    if (credential != nullptr) {
      credential->UnAdvise();
      credential->Release();
    }
    credential = nullptr;
    if (provider != nullptr) {
      provider->UnAdvise();
      provider->Release();
    }
    provider = nullptr;
    if (events != nullptr) events->Release();
    events = nullptr;
    if (credentialEvents != nullptr) credentialEvents->Release();
    credentialEvents = nullptr;
  }
};

HRESULT Create(const Options& options, ICredentialProvider** provider) {
  return CoCreateInstance(options.clsid, nullptr, CLSCTX_INPROC_SERVER, IID_SsprICredentialProvider,
                          reinterpret_cast<void**>(provider));
}

std::string TileSnapshot(ICredentialProvider* provider) {
  DWORD count = 0;
  DWORD defaultIndex = 0;
  BOOL autoLogon = TRUE;
  const HRESULT hr = provider->GetCredentialCount(&count, &defaultIndex, &autoLogon);
  std::string out = "\"countHr\":" + Hr(hr) + ",\"credentialCount\":" + std::to_string(count) +
                    ",\"autoLogon\":" + (autoLogon ? "true" : "false");
  if (FAILED(hr) || count == 0) return out;
  ICredentialProviderCredential* credential = nullptr;
  if (FAILED(provider->GetCredentialAt(0, &credential)) || credential == nullptr) return out + ",\"credential\":null";
  CREDENTIAL_PROVIDER_FIELD_STATE linkState = CPFS_HIDDEN;
  CREDENTIAL_PROVIDER_FIELD_STATE statusState = CPFS_HIDDEN;
  CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE interactive = CPFIS_NONE;
  credential->GetFieldState(kLinkField, &linkState, &interactive);
  credential->GetFieldState(kStatusField, &statusState, &interactive);
  LPWSTR link = nullptr;
  LPWSTR status = nullptr;
  credential->GetStringValue(kLinkField, &link);
  credential->GetStringValue(kStatusField, &status);
  out += std::string(",\"link\":") + Json(link != nullptr ? link : L"") + ",\"linkState\":\"" + StateName(linkState) +
         "\",\"status\":" + Json(status != nullptr ? status : L"") + ",\"statusState\":\"" + StateName(statusState) +
         "\"";
  CoTaskMemFree(link);
  CoTaskMemFree(status);
  credential->Release();
  return out;
}

void Open(const Options& options, Session* session, CREDENTIAL_PROVIDER_USAGE_SCENARIO cpus, const char* name) {
  session->Close();
  HRESULT hr = Create(options, &session->provider);
  if (FAILED(hr)) {
    Emit(std::string("{\"step\":\"open\",\"scenario\":\"") + name + "\",\"createHr\":" + Hr(hr) + "}");
    return;
  }
  hr = session->provider->SetUsageScenario(cpus, 0);
  std::string line = std::string("{\"step\":\"open\",\"scenario\":\"") + name + "\",\"createHr\":\"0x00000000\"" +
                     ",\"setUsageScenarioHr\":" + Hr(hr);
  if (SUCCEEDED(hr)) {
    session->events = new ProviderEvents();
    session->provider->Advise(session->events, 0x5353);
    line += "," + TileSnapshot(session->provider);
    DWORD count = 0;
    DWORD defaultIndex = 0;
    BOOL autoLogon = FALSE;
    if (SUCCEEDED(session->provider->GetCredentialCount(&count, &defaultIndex, &autoLogon)) && count > 0 &&
        SUCCEEDED(session->provider->GetCredentialAt(0, &session->credential))) {
      session->credentialEvents = new CredentialEvents();
      session->credential->Advise(session->credentialEvents);
    }
  }
  Emit(line + "}");
}

void Walk(const Options& options) {
  const struct {
    CREDENTIAL_PROVIDER_USAGE_SCENARIO cpus;
    const char* name;
  } scenarios[] = {{CPUS_LOGON, "logon"}, {CPUS_UNLOCK_WORKSTATION, "unlock"}, {CPUS_CHANGE_PASSWORD, "change-password"},
                   {CPUS_CREDUI, "credui"}, {CPUS_PLAP, "plap"}};
  for (const auto& s : scenarios) {
    ICredentialProvider* provider = nullptr;
    HRESULT hr = Create(options, &provider);
    if (FAILED(hr)) {
      Emit(std::string("{\"step\":\"scenario\",\"scenario\":\"") + s.name + "\",\"createHr\":" + Hr(hr) + "}");
      continue;
    }
    hr = provider->SetUsageScenario(s.cpus, 0);
    Emit(std::string("{\"step\":\"scenario\",\"scenario\":\"") + s.name + "\",\"hr\":" + Hr(hr) + "}");
    provider->Release();
  }

  ICredentialProvider* provider = nullptr;
  if (FAILED(Create(options, &provider))) return;
  provider->SetUsageScenario(CPUS_LOGON, 0);
  auto* events = new ProviderEvents();
  Emit("{\"step\":\"advise\",\"hr\":" + Hr(provider->Advise(events, 0x5353)) + "}");
  DWORD fields = 0;
  HRESULT hr = provider->GetFieldDescriptorCount(&fields);
  Emit("{\"step\":\"fieldCount\",\"hr\":" + Hr(hr) + ",\"count\":" + std::to_string(fields) + "}");
  for (DWORD i = 0; i < fields; ++i) {
    CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR* descriptor = nullptr;
    hr = provider->GetFieldDescriptorAt(i, &descriptor);
    if (FAILED(hr) || descriptor == nullptr) {
      Emit("{\"step\":\"field\",\"index\":" + std::to_string(i) + ",\"hr\":" + Hr(hr) + "}");
      continue;
    }
    Emit("{\"step\":\"field\",\"index\":" + std::to_string(i) + ",\"hr\":" + Hr(hr) +
         ",\"id\":" + std::to_string(descriptor->dwFieldID) + ",\"type\":\"" + TypeName(descriptor->cpft) +
         "\",\"label\":" + Json(descriptor->pszLabel != nullptr ? descriptor->pszLabel : L"") + "}");
    CoTaskMemFree(descriptor->pszLabel);
    CoTaskMemFree(descriptor);
  }
  CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR* outOfRange = nullptr;
  Emit("{\"step\":\"fieldOutOfRange\",\"hr\":" + Hr(provider->GetFieldDescriptorAt(fields, &outOfRange)) + "}");
  Emit("{\"step\":\"tile\"," + TileSnapshot(provider) + "}");

  ICredentialProviderCredential* credential = nullptr;
  hr = provider->GetCredentialAt(0, &credential);
  Emit("{\"step\":\"credential\",\"hr\":" + Hr(hr) + "}");
  if (SUCCEEDED(hr) && credential != nullptr) {
    auto* credentialEvents = new CredentialEvents();
    credential->Advise(credentialEvents);
    BOOL autoLogon = TRUE;
    const HRESULT selectedHr = credential->SetSelected(&autoLogon);
    Emit("{\"step\":\"setSelected\",\"hr\":" + Hr(selectedHr) +
         ",\"autoLogon\":" + (autoLogon ? "true" : "false") + "}");
    for (DWORD i = 0; i < fields; ++i) {
      CREDENTIAL_PROVIDER_FIELD_STATE state = CPFS_HIDDEN;
      CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE interactive = CPFIS_NONE;
      const HRESULT stateHr = credential->GetFieldState(i, &state, &interactive);
      LPWSTR text = nullptr;
      const HRESULT textHr = credential->GetStringValue(i, &text);
      Emit("{\"step\":\"fieldValue\",\"id\":" + std::to_string(i) + ",\"stateHr\":" + Hr(stateHr) + ",\"state\":\"" +
           StateName(state) + "\",\"textHr\":" + Hr(textHr) + ",\"text\":" + Json(text != nullptr ? text : L"") + "}");
      CoTaskMemFree(text);
    }
    HBITMAP bitmap = nullptr;
    hr = credential->GetBitmapValue(0, &bitmap);
    Emit("{\"step\":\"bitmap\",\"hr\":" + Hr(hr) + ",\"bitmap\":" + (bitmap != nullptr ? "true" : "false") + "}");
    if (bitmap != nullptr) DeleteObject(bitmap);
    CREDENTIAL_PROVIDER_GET_SERIALIZATION_RESPONSE response = CPGSR_RETURN_CREDENTIAL_FINISHED;
    CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION serialization = {};
    LPWSTR statusText = nullptr;
    CREDENTIAL_PROVIDER_STATUS_ICON icon = CPSI_NONE;
    hr = credential->GetSerialization(&response, &serialization, &statusText, &icon);
    Emit("{\"step\":\"getSerialization\",\"hr\":" + Hr(hr) + ",\"response\":" + std::to_string(response) +
         ",\"bytes\":" + std::to_string(serialization.cbSerialization) + "}");
    ICredentialProviderCredential2* v2 = nullptr;
    hr = credential->QueryInterface(IID_SsprICredentialProviderCredential2, reinterpret_cast<void**>(&v2));
    if (SUCCEEDED(hr) && v2 != nullptr) {
      LPWSTR sid = nullptr;
      const HRESULT sidHr = v2->GetUserSid(&sid);
      Emit("{\"step\":\"getUserSid\",\"hr\":" + Hr(sidHr) + ",\"sid\":" + (sid != nullptr ? Json(sid) : "null") + "}");
      CoTaskMemFree(sid);
      v2->Release();
    } else {
      Emit("{\"step\":\"getUserSid\",\"qiHr\":" + Hr(hr) + "}");
    }
    Emit("{\"step\":\"badLink\",\"hr\":" + Hr(credential->CommandLinkClicked(99)) + "}");
    credential->UnAdvise();
    credential->Release();
    credentialEvents->Release();
  }
  provider->UnAdvise();
  provider->Release();
  events->Release();
}

bool WriteControl(const Options& options, const std::wstring& line) {
  if (options.control.empty()) return false;
  HANDLE h = CreateFileW(options.control.c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  const std::string data = Utf8(line) + "\n";
  DWORD written = 0;
  WriteFile(h, data.data(), static_cast<DWORD>(data.size()), &written, nullptr);
  CloseHandle(h);
  return true;
}

std::wstring RecordPath(const Options& options) {
  const auto slash = options.control.find_last_of(L'\\');
  if (slash == std::wstring::npos) return L"SsprLogon.record.jsonl";
  return options.control.substr(0, slash + 1) + L"SsprLogon.record.jsonl";
}

// All lines of the stand-in's record file.
std::vector<std::string> Records(const Options& options) {
  std::vector<std::string> lines;
  HANDLE h = CreateFileW(RecordPath(options).c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                         OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return lines;
  std::string all;
  char buffer[4096];
  DWORD read = 0;
  while (ReadFile(h, buffer, sizeof buffer, &read, nullptr) && read > 0) all.append(buffer, read);
  CloseHandle(h);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    if (end > start) lines.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

DWORD RecordPid(const std::string& record) {
  const auto at = record.find("\"pid\":");
  return at == std::string::npos ? 0 : static_cast<DWORD>(std::strtoul(record.c_str() + at + 6, nullptr, 10));
}

// Pids recorded since `from` whose process is still running a few seconds later: the overlay and
// everything it started must be gone once the tile is back.
std::string LeftAlive(const Options& options, size_t from) {
  const auto lines = Records(options);
  std::string pids;
  std::string alive;
  for (size_t i = from; i < lines.size(); ++i) {
    const DWORD pid = RecordPid(lines[i]);
    if (pid == 0) continue;
    pids += (pids.empty() ? "" : ",") + std::to_string(pid);
    HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (process == nullptr) continue;
    if (WaitForSingleObject(process, 5000) != WAIT_OBJECT_0) alive += (alive.empty() ? "" : ",") + std::to_string(pid);
    CloseHandle(process);
  }
  return "\"recordedPids\":[" + pids + "],\"leftAlive\":[" + alive + "]";
}

void Click(const Options& options, Session* session, const std::wstring& control, int clicks) {
  std::string line = "{\"step\":\"click\",\"control\":" + Json(control);
  if (session->credential == nullptr) {
    Emit(line + ",\"error\":\"no credential\"," + (session->provider ? TileSnapshot(session->provider) : "\"x\":0") + "}");
    return;
  }
  if (!WriteControl(options, control)) line += ",\"controlWritten\":false";
  const size_t recordsBefore = Records(options).size();
  session->events->Reset();
  const DWORD start = GetTickCount();
  std::string hrs;
  for (int i = 0; i < clicks; ++i) {
    hrs += (i ? "," : "") + Hr(session->credential->CommandLinkClicked(kLinkField));
  }
  line += ",\"clickHr\":[" + hrs + "]";
  line += ",\"during\":{" + TileSnapshot(session->provider) + "}";
  const bool changed = session->events->Wait(options.waitMs);
  line += std::string(",\"changed\":") + (changed ? "true" : "false") +
          ",\"adviseContext\":" + std::to_string(session->events->lastContext()) +
          ",\"elapsedMs\":" + std::to_string(GetTickCount() - start);
  line += ",\"after\":{" + TileSnapshot(session->provider) + "}";
  line += "," + LeftAlive(options, recordsBefore);
  Emit(line + "}");
}

void ReleaseRunning(const Options& options, Session* session, const std::wstring& control) {
  std::string line = "{\"step\":\"release-running\",\"control\":" + Json(control);
  if (session->credential == nullptr || !WriteControl(options, control)) {
    Emit(line + ",\"error\":\"no credential or control\"}");
    return;
  }
  const size_t before = Records(options).size();
  session->credential->CommandLinkClicked(kLinkField);
  // Wait until the stand-in has written its record, i.e. the overlay really runs.
  std::vector<std::string> records;
  for (DWORD waited = 0; waited < options.waitMs; waited += 100) {
    records = Records(options);
    if (records.size() > before) break;
    Sleep(100);
  }
  const DWORD pid = records.size() > before ? RecordPid(records.back()) : 0;
  HANDLE process = pid != 0 ? OpenProcess(SYNCHRONIZE, FALSE, pid) : nullptr;
  line += ",\"pid\":" + std::to_string(pid) + ",\"opened\":" + (process != nullptr ? "true" : "false");
  // While the overlay runs, its checked files must not be writable (the shim holds them without write sharing).
  const auto slash = options.control.find_last_of(L'\\');
  const std::wstring exe = (slash == std::wstring::npos ? std::wstring() : options.control.substr(0, slash + 1)) + L"SsprLogon.exe";
  HANDLE writer = CreateFileW(exe.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                              OPEN_EXISTING, 0, nullptr);
  line += ",\"exeWriteError\":" + std::to_string(writer == INVALID_HANDLE_VALUE ? GetLastError() : 0);
  if (writer != INVALID_HANDLE_VALUE) CloseHandle(writer);
  // ...and the product-data folders cannot be renamed away (and replaced by a junction) meanwhile.
  wchar_t programData[MAX_PATH] = {};
  GetEnvironmentVariableW(L"ProgramData", programData, MAX_PATH);
  const struct {
    const wchar_t* folder;
    const char* name;
  } folders[] = {{L"\\SsprLogon\\logs", "Logs"}, {L"\\SsprLogon\\Overlay", "Overlay"}, {L"\\SsprLogon", "Product"}};
  for (const auto& f : folders) {
    const std::wstring from = std::wstring(programData) + f.folder;
    const BOOL moved = MoveFileExW(from.c_str(), (from + L"-moved").c_str(), 0);
    const DWORD error = moved ? 0 : GetLastError();
    if (moved) MoveFileExW((from + L"-moved").c_str(), from.c_str(), 0);
    line += ",\"renameError" + std::string(f.name) + "\":" + std::to_string(error);
  }
  session->Close();
  if (process != nullptr) {
    const bool ended = WaitForSingleObject(process, options.waitMs) == WAIT_OBJECT_0;
    line += std::string(",\"overlayEnded\":") + (ended ? "true" : "false");
    CloseHandle(process);
  }
  Emit(line + "}");
}

// Waits until the provider DLL says it can be unloaded: every object released and every monitor thread
// finished, as COM requires before LogonUI may unload it.
void Drain(const std::wstring& clsidText, DWORD waitMs) {
  wchar_t path[MAX_PATH + 1] = {};
  DWORD size = sizeof path - sizeof(wchar_t);
  const std::wstring key = L"CLSID\\" + clsidText + L"\\InprocServer32";
  if (RegGetValueW(HKEY_CLASSES_ROOT, key.c_str(), nullptr, RRF_RT_REG_SZ, nullptr, path, &size) != ERROR_SUCCESS) {
    Emit("{\"step\":\"drain\",\"error\":\"no InprocServer32\"}");
    return;
  }
  HMODULE module = GetModuleHandleW(path);
  if (module == nullptr) {
    Emit("{\"step\":\"drain\",\"loaded\":false,\"unloadable\":true}");
    return;
  }
  using CanUnload = HRESULT(__stdcall*)();
  auto canUnload = reinterpret_cast<CanUnload>(reinterpret_cast<void*>(GetProcAddress(module, "DllCanUnloadNow")));
  const DWORD start = GetTickCount();
  HRESULT hr = canUnload != nullptr ? canUnload() : E_FAIL;
  while (hr != S_OK && GetTickCount() - start < waitMs) {
    Sleep(50);
    hr = canUnload != nullptr ? canUnload() : E_FAIL;
  }
  Emit(std::string("{\"step\":\"drain\",\"loaded\":true,\"unloadable\":") + (hr == S_OK ? "true" : "false") +
       ",\"waitedMs\":" + std::to_string(GetTickCount() - start) + "}");
}

void PrintState() {
  DWORD failures = 0;
  DWORD disabled = 0;
  DWORD size = sizeof(DWORD);
  const LONG a = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\SsprLogon\\State", L"ConsecutiveFailures",
                              RRF_RT_REG_DWORD, nullptr, &failures, &size);
  size = sizeof(DWORD);
  const LONG b = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\SsprLogon\\State", L"Disabled", RRF_RT_REG_DWORD,
                              nullptr, &disabled, &size);
  // The dedicated account's status for doctor, and whether it is hidden from the logon screen.
  wchar_t status[64] = {};
  DWORD statusSize = sizeof status - sizeof(wchar_t);
  const LONG c = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\SsprLogon\\State", L"AccountStatus", RRF_RT_REG_SZ, nullptr,
                              status, &statusSize);
  DWORD accountError = 0;
  size = sizeof(DWORD);
  const LONG d = RegGetValueW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\SsprLogon\\State", L"AccountError", RRF_RT_REG_DWORD,
                              nullptr, &accountError, &size);
  DWORD shown = 0;
  size = sizeof(DWORD);
  const LONG e = RegGetValueW(HKEY_LOCAL_MACHINE,
                              L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList",
                              L"SsprLogonOverlay", RRF_RT_REG_DWORD, nullptr, &shown, &size);
  Emit("{\"step\":\"state\",\"consecutiveFailures\":" + (a == ERROR_SUCCESS ? std::to_string(failures) : "null") +
       ",\"disabled\":" + (b == ERROR_SUCCESS ? std::to_string(disabled) : "null") +
       ",\"accountStatus\":" + (c == ERROR_SUCCESS ? Json(status) : "null") +
       ",\"accountError\":" + (d == ERROR_SUCCESS ? std::to_string(accountError) : "null") +
       ",\"accountInUserList\":" + (e == ERROR_SUCCESS ? std::to_string(shown) : "null") + "}");
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  Options options;
  std::wstring clsidText = kDefaultClsid;
  std::vector<std::wstring> steps;
  HDESK winlogon = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::wstring arg = argv[i];
    if (arg == L"--winlogon-desktop") {
      winlogon = CreateDesktopW(L"Winlogon", nullptr, nullptr, 0, GENERIC_ALL, nullptr);
      Emit(std::string("{\"step\":\"winlogonDesktop\",\"created\":") + (winlogon != nullptr ? "true" : "false") +
           ",\"error\":" + std::to_string(winlogon != nullptr ? 0 : GetLastError()) + "}");
    } else if (arg == L"--clsid" && i + 1 < argc) {
      clsidText = argv[++i];
    } else if (arg == L"--control" && i + 1 < argc) {
      options.control = argv[++i];
    } else if (arg == L"--wait-ms" && i + 1 < argc) {
      options.waitMs = static_cast<DWORD>(_wtoi(argv[++i]));
    } else {
      steps.push_back(arg);
    }
  }
  if (FAILED(CLSIDFromString(clsidText.c_str(), &options.clsid))) {
    Emit("{\"step\":\"args\",\"error\":\"bad clsid\"}");
    return 2;
  }
  if (steps.empty()) steps.push_back(L"walk");

  HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
  Emit("{\"step\":\"init\",\"hr\":" + Hr(hr) + ",\"clsid\":" + Json(clsidText) + "}");
  {
    ICredentialProvider* probe = nullptr;
    hr = Create(options, &probe);
    Emit("{\"step\":\"create\",\"hr\":" + Hr(hr) + "}");
    if (FAILED(hr)) {
      CoUninitialize();
      return 3;
    }
    probe->Release();
  }

  Session session;
  for (const auto& step : steps) {
    if (step == L"walk") {
      Walk(options);
    } else if (step == L"open:logon") {
      Open(options, &session, CPUS_LOGON, "logon");
    } else if (step == L"open:unlock") {
      Open(options, &session, CPUS_UNLOCK_WORKSTATION, "unlock");
    } else if (step.rfind(L"click:", 0) == 0) {
      Click(options, &session, step.substr(6), 1);
    } else if (step.rfind(L"doubleclick:", 0) == 0) {
      Click(options, &session, step.substr(12), 2);
    } else if (step.rfind(L"release-running:", 0) == 0) {
      ReleaseRunning(options, &session, step.substr(16));
    } else if (step == L"state") {
      PrintState();

    } else {
      Emit("{\"step\":\"unknown\",\"name\":" + Json(step) + "}");
    }
  }
  session.Close();
  Drain(clsidText, options.waitMs);
  CoFreeUnusedLibraries();
  Emit("{\"step\":\"done\"}");
  CoUninitialize();
  if (winlogon != nullptr) CloseDesktop(winlogon);
  return 0;
}
