#include "provider.h"

#include <wtsapi32.h>

#include <new>
#include <string>
#include <vector>

#include "../core/policy.h"
#include "../core/tile_text.h"
#include "launcher.h"
#include "settings.h"
#include "tile_language.h"
#include "../core/text_format.h"

namespace sspr {
namespace {

enum FieldId : DWORD { FID_IMAGE = 0, FID_TITLE = 1, FID_LINK = 2, FID_STATUS = 3, FID_COUNT = 4 };

const wchar_t* const kOverlayDesktop = L"Winlogon";
const wchar_t* const kLaunchMutexName = L"Local\\SsprLogonOverlay";

// Runs `body`; any C++ exception becomes E_UNEXPECTED and an Event Log record, never an unwind into LogonUI.
template <typename Body>
HRESULT Guard(const wchar_t* where, Body body) noexcept {
  try {
    return body();
  } catch (...) {
    try {
      LogEvent(EventId::UnexpectedException, EventLevel::Error, false,
               std::wstring(L"An unexpected error was contained in ") + where + L".");
    } catch (...) {
    }
    return E_UNEXPECTED;
  }
}

HRESULT DupString(const std::wstring& s, LPWSTR* out) {
  if (out == nullptr) return E_INVALIDARG;
  *out = nullptr;
  const size_t bytes = (s.size() + 1) * sizeof(wchar_t);
  auto* copy = static_cast<wchar_t*>(CoTaskMemAlloc(bytes));
  if (copy == nullptr) return E_OUTOFMEMORY;
  memcpy(copy, s.c_str(), bytes);
  *out = copy;
  return S_OK;
}

class Lock {
 public:
  explicit Lock(CRITICAL_SECTION* cs) : cs_(cs) { EnterCriticalSection(cs_); }
  ~Lock() { LeaveCriticalSection(cs_); }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  CRITICAL_SECTION* cs_;
};

// State shared by the provider, its credential and the monitor thread. Reference counted because the
// monitor thread may outlive the provider (LogonUI can release it while the overlay still runs).
class ProviderState {
 public:
  ProviderState() {
    InitializeCriticalSection(&cs);
    stopEvent = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    DllAddRef();
  }
  void AddRef() { InterlockedIncrement(&refs_); }
  void Release() {
    if (InterlockedDecrement(&refs_) == 0) delete this;
  }

  // Takes a counted reference to the events sink so a caller can use it outside the lock.
  ICredentialProviderEvents* TakeEvents(UINT_PTR* context) {
    Lock lock(&cs);
    if (events != nullptr) events->AddRef();
    *context = adviseContext;
    return events;
  }

  CRITICAL_SECTION cs;
  HANDLE stopEvent = nullptr;
  ICredentialProviderEvents* events = nullptr;
  UINT_PTR adviseContext = 0;
  Scenario scenario = Scenario::Logon;
  std::wstring linkText = kDefaultLinkText;
  std::wstring language;  // the tile's texts (tile_text.h); empty: English
  std::wstring status;
  bool running = false;
  bool disabled = false;

 private:
  ~ProviderState() {
    if (events != nullptr) events->Release();
    if (stopEvent != nullptr) CloseHandle(stopEvent);
    DeleteCriticalSection(&cs);
    DllRelease();
  }
  LONG refs_ = 1;
};

std::wstring SessionUserName() {
  std::wstring result;
  LPWSTR user = nullptr;
  LPWSTR domain = nullptr;
  DWORD bytes = 0;
  if (WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTSUserName, &user, &bytes) &&
      user != nullptr && user[0] != L'\0') {
    result = user;
    if (WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, WTS_CURRENT_SESSION, WTSDomainName, &domain, &bytes) &&
        domain != nullptr && domain[0] != L'\0') {
      result = std::wstring(domain) + L"\\" + result;
    }
  }
  if (user != nullptr) WTSFreeMemory(user);
  if (domain != nullptr) WTSFreeMemory(domain);
  return result;
}

std::wstring UiLanguageTag() {
  wchar_t name[LOCALE_NAME_MAX_LENGTH] = {};
  const LCID lcid = MAKELCID(GetUserDefaultUILanguage(), SORT_DEFAULT);
  if (LCIDToLocaleName(lcid, name, LOCALE_NAME_MAX_LENGTH, 0) == 0) return std::wstring();
  return name;
}

struct MonitorContext {
  ProviderState* state;
  LaunchRequest request;
  Scenario scenario;
  HANDLE launchMutex;
  HMODULE pinnedModule;
};

void OnOverlayStarted(void* context, DWORD processId, const LaunchResult& launch) {
  const auto* monitor = static_cast<MonitorContext*>(context);
  LogEvent(EventId::OverlayStarted, EventLevel::Info, false,
           std::wstring(L"SSPR Logon " SSPR_PRODUCT_VERSION L": the password reset overlay started (scenario ") +
               (monitor->scenario == Scenario::Logon ? L"logon" : L"unlock") + L", process id " +
               DecimalW(processId) + L", job limit " + DecimalW(launch.jobProcessLimit) +
               L" processes, breakaway " + (launch.jobAllowsBreakaway ? L"allowed" : L"not allowed") + L").");
}

void RecordOutcome(ProviderState* state, const LaunchResult& result) {
  const Outcome outcome = ClassifyEnd(result.kind, result.exitCode, result.uiReady);
  const bool forgivenAfterUiReady = result.uiReady && outcome.effect == FailureEffect::None &&
                                    ClassifyEnd(result.kind, result.exitCode, false).effect == FailureEffect::Count;
  if (result.productFolderTakenOver) {
    LogEvent(EventId::ProductDataFolderRejected, EventLevel::Warning, false,
             L"The product data folder (ProgramData\\SsprLogon) or a folder in it had an owner other than SYSTEM or Administrators; the shim "
             L"took it over (owner SYSTEM, protected DACL) before using it.");
  }
  if (result.kind == EndKind::AccountUnavailable) {
    LogEvent(EventId::AccountUnavailable, EventLevel::Error, false,
             outcome.logMessage + L" Not counted toward turning the link off. (step " + result.failedStep + L", error " +
                 DecimalW(result.win32Error) + L"); see HKLM\\SOFTWARE\\SsprLogon\\State AccountStatus.");
  } else if (result.kind == EndKind::LaunchFailed) {
    EventId id = result.leastPrivilegeRefused ? EventId::LaunchRefusedNoLeastPrivilege : result.failureEvent;
    std::wstring why = L"The password reset overlay could not be started";
    if (result.leastPrivilegeRefused) {
      why = L"The password reset overlay was not started: no least-privilege token could be made, and it is never "
            L"started with the sign-in screen's own token";
    } else if (id == EventId::PayloadRejected) {
      why = L"The password reset overlay was not started: its files do not match what the MSI installed (" +
            result.failureDetail + L")";
    } else if (id == EventId::ProductDataFolderRejected) {
      why = L"The password reset overlay was not started: the product data folder (ProgramData\\SsprLogon) is not "
            L"usable safely";
    }
    LogEvent(id, EventLevel::Error, false,
             why + L" (step " + result.failedStep + L", error " + DecimalW(result.win32Error) + L").");
  } else {
    std::wstring message = outcome.logMessage;
    if (result.kind == EndKind::Exited && (outcome.eventId == EventId::Crashed ||
                                           outcome.eventId == EventId::UnexpectedExitCode)) {
      message += L" Exit code 0x" + HexW(result.exitCode, 8, true) + L".";
    }
    if (forgivenAfterUiReady) {
      message += L" Not counted toward turning the link off: the overlay had shown its first screen.";
    }
    LogEvent(outcome.eventId, outcome.level, outcome.verboseOnly, message);
  }

  const FailureState before = LoadFailureState();
  const FailureState after = NextFailureState(before, outcome.effect);
  if (after.consecutiveFailures != before.consecutiveFailures || after.disabled != before.disabled) {
    SaveFailureState(after);
  }
  if (after.disabled && !before.disabled) {
    LogEvent(EventId::SelfDisabled, EventLevel::Error, false,
             L"The password reset link was turned off after " + DecimalW(after.consecutiveFailures) +
                 L" consecutive failures. Fix the cause, then set HKLM\\SOFTWARE\\SsprLogon\\State Disabled to 0.");
  } else if (outcome.effect == FailureEffect::Reset && before.consecutiveFailures > 0) {
    LogEvent(EventId::FailureCounterReset, EventLevel::Info, true,
             L"The failure counter was reset after a completed overlay run.");
  }

  Lock lock(&state->cs);
  state->running = false;
  state->status = LocalizeTileMessage(outcome.tileMessage, state->language);
  state->disabled = after.disabled;
}

DWORD WINAPI MonitorThread(void* parameter) {
  auto* monitor = static_cast<MonitorContext*>(parameter);
  const HMODULE pinned = monitor->pinnedModule;
  try {
    const LaunchResult result =
        RunOverlay(monitor->request, monitor->state->stopEvent, &OnOverlayStarted, monitor);
    RecordOutcome(monitor->state, result);
  } catch (...) {
    try {
      LogEvent(EventId::UnexpectedException, EventLevel::Error, false,
               L"An unexpected error was contained in the overlay monitor.");
      Lock lock(&monitor->state->cs);
      monitor->state->running = false;
      monitor->state->status = LocalizeTileMessage(ClassifyEnd(EndKind::LaunchFailed, 0).tileMessage, monitor->state->language);
    } catch (...) {
    }
  }
  // The overlay has ended: release the launch mutex first, so the link LogonUI is about to show again
  // starts a new overlay when clicked at once, instead of being refused as a double launch.
  CloseHandle(monitor->launchMutex);
  // Tell LogonUI to re-read the tile: the link is back and the outcome text is shown.
  UINT_PTR context = 0;
  ICredentialProviderEvents* events = monitor->state->TakeEvents(&context);
  if (events != nullptr) {
    events->CredentialsChanged(context);
    events->Release();
  }
  monitor->state->Release();
  delete monitor;
  // The thread holds its own reference on the DLL so LogonUI cannot unload the code it is running.
  FreeLibraryAndExitThread(pinned, 0);
  return 0;
}

class Credential final : public ICredentialProviderCredential2 {
 public:
  explicit Credential(ProviderState* state) : state_(state) {
    state_->AddRef();
    DllAddRef();
  }

  IFACEMETHODIMP QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    *ppv = nullptr;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_SsprICredentialProviderCredential) ||
        IsEqualIID(riid, IID_SsprICredentialProviderCredential2)) {
      *ppv = static_cast<ICredentialProviderCredential2*>(this);
      AddRef();
      return S_OK;
    }
    return E_NOINTERFACE;
  }
  IFACEMETHODIMP_(ULONG) AddRef() override { return InterlockedIncrement(&refs_); }
  IFACEMETHODIMP_(ULONG) Release() override {
    const LONG left = InterlockedDecrement(&refs_);
    if (left == 0) delete this;
    return left;
  }

  IFACEMETHODIMP Advise(ICredentialProviderCredentialEvents* events) override {
    return Guard(L"Credential::Advise", [&] {
      if (events_ != nullptr) events_->Release();
      events_ = events;
      if (events_ != nullptr) events_->AddRef();
      return S_OK;
    });
  }
  IFACEMETHODIMP UnAdvise() override {
    if (events_ != nullptr) events_->Release();
    events_ = nullptr;
    return S_OK;
  }
  IFACEMETHODIMP SetSelected(BOOL* autoLogon) override {
    if (autoLogon == nullptr) return E_POINTER;
    *autoLogon = FALSE;
    return S_OK;
  }
  IFACEMETHODIMP SetDeselected() override { return S_OK; }

  IFACEMETHODIMP GetFieldState(DWORD field, CREDENTIAL_PROVIDER_FIELD_STATE* state,
                               CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE* interactive) override {
    return Guard(L"Credential::GetFieldState", [&] {
      if (state == nullptr || interactive == nullptr) return E_POINTER;
      *interactive = CPFIS_NONE;
      Lock lock(&state_->cs);
      switch (field) {
        case FID_IMAGE:
        case FID_TITLE:
          *state = CPFS_DISPLAY_IN_BOTH;
          return S_OK;
        case FID_LINK:
          *state = state_->running ? CPFS_HIDDEN : CPFS_DISPLAY_IN_SELECTED_TILE;
          return S_OK;
        case FID_STATUS:
          *state = state_->status.empty() ? CPFS_HIDDEN : CPFS_DISPLAY_IN_SELECTED_TILE;
          return S_OK;
        default:
          return E_INVALIDARG;
      }
    });
  }

  IFACEMETHODIMP GetStringValue(DWORD field, LPWSTR* value) override {
    return Guard(L"Credential::GetStringValue", [&] {
      if (value == nullptr) return E_POINTER;
      *value = nullptr;
      std::wstring text;
      {
        Lock lock(&state_->cs);
        switch (field) {
          case FID_TITLE:
            text = TileTextFor(TileText::Title, state_->language);
            break;
          case FID_LINK:
            text = state_->linkText;
            break;
          case FID_STATUS:
            text = state_->status;
            break;
          default:
            return E_INVALIDARG;
        }
      }
      return DupString(text, value);
    });
  }

  IFACEMETHODIMP GetBitmapValue(DWORD field, HBITMAP* bitmap) override {
    return Guard(L"Credential::GetBitmapValue", [&] {
      if (bitmap == nullptr) return E_POINTER;
      *bitmap = nullptr;
      if (field != FID_IMAGE) return E_INVALIDARG;
      // A plain 128x128 tile in a calm blue; LogonUI takes ownership of the bitmap.
      // Filled on the heap per call: a static array would add 64 KiB to the DLL's image.
      const std::vector<DWORD> pixels(128 * 128, 0x00305090);
      *bitmap = CreateBitmap(128, 128, 1, 32, pixels.data());
      return *bitmap != nullptr ? S_OK : E_OUTOFMEMORY;
    });
  }

  IFACEMETHODIMP GetCheckboxValue(DWORD, BOOL*, LPWSTR*) override { return E_NOTIMPL; }
  IFACEMETHODIMP GetSubmitButtonValue(DWORD, DWORD*) override { return E_NOTIMPL; }
  IFACEMETHODIMP GetComboBoxValueCount(DWORD, DWORD*, DWORD*) override { return E_NOTIMPL; }
  IFACEMETHODIMP GetComboBoxValueAt(DWORD, DWORD, LPWSTR*) override { return E_NOTIMPL; }
  IFACEMETHODIMP SetStringValue(DWORD, LPCWSTR) override { return E_NOTIMPL; }
  IFACEMETHODIMP SetCheckboxValue(DWORD, BOOL) override { return E_NOTIMPL; }
  IFACEMETHODIMP SetComboBoxSelectedValue(DWORD, DWORD) override { return E_NOTIMPL; }

  IFACEMETHODIMP CommandLinkClicked(DWORD field) override {
    return Guard(L"Credential::CommandLinkClicked", [&] {
      if (field != FID_LINK) return E_INVALIDARG;
      return StartOverlay();
    });
  }

  IFACEMETHODIMP GetSerialization(CREDENTIAL_PROVIDER_GET_SERIALIZATION_RESPONSE* response,
                                  CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION* serialization, LPWSTR* statusText,
                                  CREDENTIAL_PROVIDER_STATUS_ICON* statusIcon) override {
    // This tile never signs anybody in; it only offers the reset link.
    if (response != nullptr) *response = CPGSR_NO_CREDENTIAL_NOT_FINISHED;
    if (serialization != nullptr) ZeroMemory(serialization, sizeof *serialization);
    if (statusText != nullptr) *statusText = nullptr;
    if (statusIcon != nullptr) *statusIcon = CPSI_NONE;
    return S_OK;
  }
  IFACEMETHODIMP ReportResult(SSPR_NTSTATUS, SSPR_NTSTATUS, LPWSTR* statusText,
                              CREDENTIAL_PROVIDER_STATUS_ICON* statusIcon) override {
    if (statusText != nullptr) *statusText = nullptr;
    if (statusIcon != nullptr) *statusIcon = CPSI_NONE;
    return S_OK;
  }
  IFACEMETHODIMP GetUserSid(LPWSTR* sid) override {
    // Not tied to a user: Windows 8+ shows the tile under "Other user".
    if (sid == nullptr) return E_POINTER;
    *sid = nullptr;
    return S_FALSE;
  }

 private:
  ~Credential() {
    if (events_ != nullptr) events_->Release();
    state_->Release();
    DllRelease();
  }

  HRESULT StartOverlay() {
    Scenario scenario;
    {
      Lock lock(&state_->cs);
      if (state_->disabled) return S_OK;
      if (state_->running) {
        LogEvent(EventId::DoubleLaunchRefused, EventLevel::Warning, true,
                 L"The password reset overlay is already open; a second start was refused.");
        return S_OK;
      }
      scenario = state_->scenario;
    }
    // A second provider instance (another LogonUI tile set) must not start a second overlay either.
    HANDLE mutex = CreateMutexW(nullptr, FALSE, kLaunchMutexName);
    if (mutex == nullptr || GetLastError() == ERROR_ALREADY_EXISTS) {
      if (mutex != nullptr) CloseHandle(mutex);
      LogEvent(EventId::DoubleLaunchRefused, EventLevel::Warning, true,
               L"The password reset overlay is already open in this session; a second start was refused.");
      return S_OK;
    }

    const ShimSettings settings = LoadSettings();
    if (settings.installDir.empty()) {
      CloseHandle(mutex);
      LogEvent(EventId::InstallPathInvalid, EventLevel::Error, false,
               L"The install folder (HKLM\\SOFTWARE\\SsprLogon InstallDir) is missing or not an absolute local path.");
      LaunchResult failed;
      failed.failedStep = L"install-dir";
      failed.win32Error = ERROR_PATH_NOT_FOUND;
      RecordOutcome(state_, failed);
      NotifyTile();
      return S_OK;
    }

    auto* monitor = new MonitorContext{state_, LaunchRequest{}, scenario, mutex, nullptr};
    monitor->request.exePath = JoinPath(settings.installDir, kOverlayExeName);
    monitor->request.workingDir = settings.installDir;
    monitor->request.desktopName = kOverlayDesktop;
    monitor->request.watchdogMs = settings.watchdogSeconds * 1000;
    LaunchExtras extras;
    extras.sessionLimitSeconds = SessionLimitSeconds(settings.watchdogSeconds);
    monitor->request.commandLine = BuildOverlayCommandLine(
        monitor->request.exePath, scenario, scenario == Scenario::Unlock ? SessionUserName() : std::wstring(),
        UiLanguageTag(), extras);
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, reinterpret_cast<LPCWSTR>(&MonitorThread),
                            &monitor->pinnedModule)) {
      CloseHandle(mutex);
      delete monitor;
      return E_FAIL;
    }
    {
      Lock lock(&state_->cs);
      state_->running = true;
      state_->status = TileTextFor(TileText::Running, state_->language);
    }
    state_->AddRef();
    HANDLE thread = CreateThread(nullptr, 0, &MonitorThread, monitor, 0, nullptr);
    if (thread == nullptr) {
      FreeLibrary(monitor->pinnedModule);
      CloseHandle(mutex);
      delete monitor;
      state_->Release();
      {
        Lock lock(&state_->cs);
        state_->running = false;
      }
      LaunchResult failed;
      failed.failedStep = L"monitor-thread";
      failed.win32Error = GetLastError();
      RecordOutcome(state_, failed);
      NotifyTile();
      return S_OK;
    }
    CloseHandle(thread);
    NotifyTile();
    return S_OK;
  }

  // On LogonUI's own thread the credential events may be used directly to refresh the tile.
  void NotifyTile() {
    if (events_ == nullptr) return;
    CREDENTIAL_PROVIDER_FIELD_STATE linkState;
    CREDENTIAL_PROVIDER_FIELD_STATE statusState;
    CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE unused;
    GetFieldState(FID_LINK, &linkState, &unused);
    GetFieldState(FID_STATUS, &statusState, &unused);
    std::wstring status;
    {
      Lock lock(&state_->cs);
      status = state_->status;
    }
    events_->SetFieldState(this, FID_LINK, linkState);
    events_->SetFieldString(this, FID_STATUS, status.c_str());
    events_->SetFieldState(this, FID_STATUS, statusState);
  }

  LONG refs_ = 1;
  ProviderState* state_;
  ICredentialProviderCredentialEvents* events_ = nullptr;
};

class Provider final : public ICredentialProvider {
 public:
  Provider() : state_(new ProviderState()) { DllAddRef(); }

  IFACEMETHODIMP QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    *ppv = nullptr;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_SsprICredentialProvider)) {
      *ppv = static_cast<ICredentialProvider*>(this);
      AddRef();
      return S_OK;
    }
    return E_NOINTERFACE;
  }
  IFACEMETHODIMP_(ULONG) AddRef() override { return InterlockedIncrement(&refs_); }
  IFACEMETHODIMP_(ULONG) Release() override {
    const LONG left = InterlockedDecrement(&refs_);
    if (left == 0) delete this;
    return left;
  }

  IFACEMETHODIMP SetUsageScenario(CREDENTIAL_PROVIDER_USAGE_SCENARIO cpus, DWORD) override {
    return Guard(L"Provider::SetUsageScenario", [&] {
      Scenario scenario;
      if (cpus == CPUS_LOGON) {
        scenario = Scenario::Logon;
      } else if (cpus == CPUS_UNLOCK_WORKSTATION) {
        scenario = Scenario::Unlock;
      } else {
        return E_NOTIMPL;  // CredUI, change password, PLAP: nothing of ours shows there
      }
      // Over RDP the logon screen belongs to whoever connects: never offer the overlay there.
      if (GetSystemMetrics(SM_REMOTESESSION) != 0) {
        LogEvent(EventId::ProviderDisabledHidden, EventLevel::Info, true,
                 L"The password reset link is hidden in a remote session.");
        return E_NOTIMPL;
      }
      if (LoadFailureState().disabled) {
        LogEvent(EventId::ProviderDisabledHidden, EventLevel::Warning, true,
                 L"The password reset link is hidden because it turned itself off after repeated failures.");
        return E_NOTIMPL;
      }
      const ShimSettings settings = LoadSettings();
      {
        Lock lock(&state_->cs);
        state_->scenario = scenario;
        state_->language = TileLanguage();
        // LinkText set by policy or the MSI is the admin's own words; the built-in one follows the language.
        state_->linkText = settings.linkText == kDefaultLinkText ? std::wstring(TileTextFor(TileText::Link, state_->language))
                                                                 : settings.linkText;
        state_->disabled = false;
      }
      if (credential_ == nullptr) credential_ = new Credential(state_);
      LogEvent(EventId::ProviderScenario, EventLevel::Info, true,
               scenario == Scenario::Logon ? L"The password reset link is offered on the logon screen."
                                           : L"The password reset link is offered on the unlock screen.");
      return S_OK;
    });
  }

  IFACEMETHODIMP SetSerialization(const CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION*) override { return E_NOTIMPL; }

  IFACEMETHODIMP Advise(ICredentialProviderEvents* events, UINT_PTR context) override {
    return Guard(L"Provider::Advise", [&] {
      Lock lock(&state_->cs);
      if (state_->events != nullptr) state_->events->Release();
      state_->events = events;
      state_->adviseContext = context;
      if (events != nullptr) events->AddRef();
      return S_OK;
    });
  }
  IFACEMETHODIMP UnAdvise() override {
    return Guard(L"Provider::UnAdvise", [&] {
      Lock lock(&state_->cs);
      if (state_->events != nullptr) state_->events->Release();
      state_->events = nullptr;
      state_->adviseContext = 0;
      return S_OK;
    });
  }

  IFACEMETHODIMP GetFieldDescriptorCount(DWORD* count) override {
    if (count == nullptr) return E_POINTER;
    *count = FID_COUNT;
    return S_OK;
  }

  IFACEMETHODIMP GetFieldDescriptorAt(DWORD index, CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR** out) override {
    return Guard(L"Provider::GetFieldDescriptorAt", [&] {
      if (out == nullptr) return E_POINTER;
      *out = nullptr;
      if (index >= FID_COUNT) return E_INVALIDARG;
      static const CREDENTIAL_PROVIDER_FIELD_TYPE types[FID_COUNT] = {CPFT_TILE_IMAGE, CPFT_LARGE_TEXT,
                                                                       CPFT_COMMAND_LINK, CPFT_SMALL_TEXT};
      std::wstring label;
      {
        Lock lock(&state_->cs);
        label = index == FID_TITLE ? std::wstring(TileTextFor(TileText::Title, state_->language))
                : index == FID_LINK ? state_->linkText
                : index == FID_STATUS ? std::wstring(L"Status")
                                      : std::wstring(L"Image");
      }
      auto* descriptor = static_cast<CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR*>(
          CoTaskMemAlloc(sizeof(CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR)));
      if (descriptor == nullptr) return E_OUTOFMEMORY;
      ZeroMemory(descriptor, sizeof *descriptor);
      descriptor->dwFieldID = index;
      descriptor->cpft = types[index];
      const HRESULT hr = DupString(label, &descriptor->pszLabel);
      if (FAILED(hr)) {
        CoTaskMemFree(descriptor);
        return hr;
      }
      *out = descriptor;
      return S_OK;
    });
  }

  IFACEMETHODIMP GetCredentialCount(DWORD* count, DWORD* defaultIndex, BOOL* autoLogon) override {
    return Guard(L"Provider::GetCredentialCount", [&] {
      if (count == nullptr || defaultIndex == nullptr || autoLogon == nullptr) return E_POINTER;
      Lock lock(&state_->cs);
      *count = (credential_ != nullptr && !state_->disabled) ? 1 : 0;
      *defaultIndex = CREDENTIAL_PROVIDER_NO_DEFAULT;
      *autoLogon = FALSE;
      return S_OK;
    });
  }

  IFACEMETHODIMP GetCredentialAt(DWORD index, ICredentialProviderCredential** out) override {
    return Guard(L"Provider::GetCredentialAt", [&] {
      if (out == nullptr) return E_POINTER;
      *out = nullptr;
      {
        Lock lock(&state_->cs);
        if (index != 0 || credential_ == nullptr || state_->disabled) return E_INVALIDARG;
      }
      return credential_->QueryInterface(IID_SsprICredentialProviderCredential, reinterpret_cast<void**>(out));
    });
  }

 private:
  ~Provider() {
    // The sign-in screen is going away: the overlay must not outlive it.
    SetEvent(state_->stopEvent);
    {
      Lock lock(&state_->cs);
      if (state_->events != nullptr) state_->events->Release();
      state_->events = nullptr;
    }
    if (credential_ != nullptr) credential_->Release();
    state_->Release();
    DllRelease();
  }

  LONG refs_ = 1;
  ProviderState* state_;
  Credential* credential_ = nullptr;
};

}  // namespace

HRESULT CreateProvider(REFIID riid, void** ppv) {
  return Guard(L"CreateProvider", [&] {
    auto* provider = new (std::nothrow) Provider();
    if (provider == nullptr) return E_OUTOFMEMORY;
    const HRESULT hr = provider->QueryInterface(riid, ppv);
    provider->Release();
    return hr;
  });
}

}  // namespace sspr
