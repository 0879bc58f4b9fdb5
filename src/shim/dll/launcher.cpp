#include "launcher.h"

#include "overlay_account.h"
#include "overlay_log.h"
#include "payload_check.h"
#include "safe_folder.h"
#include "settings.h"

#include <aclapi.h>
#include <bcrypt.h>
#include <sddl.h>

#include <algorithm>
#include <cwctype>
#include <vector>
#include "../core/text_format.h"

namespace sspr {
namespace {

// Rights the overlay needs on winsta0 and on its desktop: create and use windows, atoms and the clipboard
// (paste must work). Deliberately absent: hooks, journaling, switching or creating desktops, reading the
// screen, exiting Windows.
constexpr DWORD kDesktopRights = DESKTOP_READOBJECTS | DESKTOP_WRITEOBJECTS | DESKTOP_CREATEWINDOW |
                                 DESKTOP_CREATEMENU | DESKTOP_ENUMERATE | READ_CONTROL;
constexpr DWORD kWinstaRights = WINSTA_ACCESSCLIPBOARD | WINSTA_ACCESSGLOBALATOMS | WINSTA_ENUMDESKTOPS |
                                WINSTA_ENUMERATE | WINSTA_READATTRIBUTES | READ_CONTROL;

constexpr SIZE_T kJobMemoryLimit = static_cast<SIZE_T>(1536) << 20;  // 1.5 GiB for the whole overlay

// The overlay's only writable folder. Protected DACL: SYSTEM and Administrators full, RESTRICTED (the
// restricting SID every overlay token carries) modify; mandatory label Low so a Low-integrity process
// can write to it.
const wchar_t* const kRuntimeFolderSddl =
    L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;RC)S:(ML;OICI;NW;;;LW)";

struct Handle {
  HANDLE h = nullptr;
  Handle() = default;
  explicit Handle(HANDLE value) : h(value) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset(HANDLE value = nullptr) {
    if (h != nullptr && h != INVALID_HANDLE_VALUE) CloseHandle(h);
    h = value;
  }
  explicit operator bool() const { return h != nullptr && h != INVALID_HANDLE_VALUE; }
};

struct WellKnownSid {
  BYTE buffer[SECURITY_MAX_SID_SIZE] = {};
  bool ok = false;
  explicit WellKnownSid(WELL_KNOWN_SID_TYPE type) {
    DWORD size = sizeof buffer;
    ok = CreateWellKnownSid(type, nullptr, buffer, &size) != FALSE;
  }
  PSID sid() { return buffer; }
};

// A SID nobody else holds, S-1-9-r1-r2-r3-r4 (resource-manager authority, random parts): the overlay gets
// desktop access through it, and no other process can use that grant.
struct PerLaunchSid {
  PSID sid = nullptr;
  ~PerLaunchSid() {
    if (sid != nullptr) FreeSid(sid);
  }
  bool create() {
    DWORD parts[4] = {};
    if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(parts), sizeof parts,
                                        BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
      return false;
    }
    SID_IDENTIFIER_AUTHORITY authority = SECURITY_RESOURCE_MANAGER_AUTHORITY;
    return AllocateAndInitializeSid(&authority, 4, parts[0], parts[1], parts[2], parts[3], 0, 0, 0, 0, &sid) != FALSE;
  }
};

#ifdef SSPR_WINE_TEST_BUILD
bool g_wineSkippedRestrictedCheck = false;
bool g_wineSkippedIntegrityCheck = false;
#endif

struct Failure {
  std::wstring step;
  DWORD error;
};

bool Fail(Failure* failure, const wchar_t* step, DWORD error = GetLastError()) {
  failure->step = step;
  failure->error = error == 0 ? ERROR_GEN_FAILURE : error;
  return false;
}

// The restricted, Low-integrity primary token the overlay runs with (docs/shim-least-privilege.md):
// all privileges but SeChangeNotify removed, Administrators deny-only, every access additionally checked
// against the restricting SIDs {per-launch, RESTRICTED, Everyone, Users, Authenticated Users}.
// `base`: the dedicated account's logon token, or (UseOverlayAccount = 0) null for the shim's own token.
bool MakeOverlayToken(PSID perLaunch, HANDLE base, Handle* token, Failure* failure) {
  Handle own;
  if (base != nullptr) {
    if (!DuplicateHandle(GetCurrentProcess(), base, GetCurrentProcess(), &own.h, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
      return Fail(failure, L"duplicate-account-token");
    }
  } else if (!OpenProcessToken(GetCurrentProcess(),
                               TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY | TOKEN_ADJUST_DEFAULT, &own.h)) {
    return Fail(failure, L"open-process-token");
  }
  WellKnownSid admins(WinBuiltinAdministratorsSid);
  WellKnownSid restrictedCode(WinRestrictedCodeSid);
  WellKnownSid everyone(WinWorldSid);
  WellKnownSid users(WinBuiltinUsersSid);
  WellKnownSid authenticated(WinAuthenticatedUserSid);
  WellKnownSid low(WinLowLabelSid);
  if (!admins.ok || !restrictedCode.ok || !everyone.ok || !users.ok || !authenticated.ok || !low.ok) {
    return Fail(failure, L"well-known-sids");
  }
  SID_AND_ATTRIBUTES disable[1] = {{admins.sid(), 0}};
  SID_AND_ATTRIBUTES restrict[5] = {{perLaunch, 0},
                                    {restrictedCode.sid(), 0},
                                    {everyone.sid(), 0},
                                    {users.sid(), 0},
                                    {authenticated.sid(), 0}};
  if (!CreateRestrictedToken(own.h, DISABLE_MAX_PRIVILEGE, 1, disable, 0, nullptr, 5, restrict, &token->h)) {
    return Fail(failure, L"create-restricted-token");
  }

  TOKEN_MANDATORY_LABEL label = {};
  label.Label.Sid = low.sid();
  label.Label.Attributes = SE_GROUP_INTEGRITY;
  if (!SetTokenInformation(token->h, TokenIntegrityLevel, &label, sizeof label + GetLengthSid(low.sid()))) {
    return Fail(failure, L"set-integrity-low");
  }

  // Objects the overlay creates (its threads, files, sections) must be usable by it under the restricted
  // check, and by the token's user (SYSTEM, i.e. the shim); nobody else.
  BYTE userBuffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
  DWORD userSize = 0;
  if (!GetTokenInformation(own.h, TokenUser, userBuffer, sizeof userBuffer, &userSize)) {
    return Fail(failure, L"read-token-user");
  }
  PSID tokenUser = reinterpret_cast<TOKEN_USER*>(userBuffer)->User.Sid;
  BYTE aclBuffer[512];
  PACL acl = reinterpret_cast<PACL>(aclBuffer);
  if (!InitializeAcl(acl, sizeof aclBuffer, ACL_REVISION) ||
      !AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, tokenUser) ||
      !AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, perLaunch) ||
      !AddAccessAllowedAce(acl, ACL_REVISION, GENERIC_ALL, restrictedCode.sid())) {
    return Fail(failure, L"build-default-dacl");
  }
  TOKEN_DEFAULT_DACL defaultDacl = {acl};
  if (!SetTokenInformation(token->h, TokenDefaultDacl, &defaultDacl, sizeof defaultDacl)) {
    return Fail(failure, L"set-default-dacl");
  }

  // Fail closed: read back what Windows will enforce instead of trusting the calls above.
  if (!IsTokenRestricted(token->h)) {
#ifdef SSPR_WINE_TEST_BUILD
    // Wine accepts restricting SIDs but does not keep them. Only the wine test build (never shipped;
    // see docs/shim-least-privilege.md) carries on, so the rest of the lifecycle can be exercised.
    g_wineSkippedRestrictedCheck = true;
#else
    return Fail(failure, L"verify-restricted", ERROR_INVALID_SECURITY_DESCR);
#endif
  }
  BYTE ilBuffer[64 + SECURITY_MAX_SID_SIZE];
  DWORD size = 0;
  if (!GetTokenInformation(token->h, TokenIntegrityLevel, ilBuffer, sizeof ilBuffer, &size)) {
    return Fail(failure, L"verify-integrity");
  }
  const auto* readLabel = reinterpret_cast<TOKEN_MANDATORY_LABEL*>(ilBuffer);
  const DWORD rid = *GetSidSubAuthority(readLabel->Label.Sid, *GetSidSubAuthorityCount(readLabel->Label.Sid) - 1);
  if (rid > SECURITY_MANDATORY_LOW_RID) {
#ifdef SSPR_WINE_TEST_BUILD
    // Wine accepts the new integrity level but reports the old one (see above).
    g_wineSkippedIntegrityCheck = true;
#else
    return Fail(failure, L"verify-integrity", ERROR_INVALID_SECURITY_DESCR);
#endif
  }
  return true;
}

bool ChangeWindowObjectAccess(HANDLE object, PSID sid, DWORD rights, ACCESS_MODE mode) {
  PACL oldDacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (GetSecurityInfo(object, SE_WINDOW_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &oldDacl, nullptr,
                      &descriptor) != ERROR_SUCCESS) {
    return false;
  }
  EXPLICIT_ACCESSW access = {};
  access.grfAccessPermissions = rights;
  access.grfAccessMode = mode;
  access.grfInheritance = NO_INHERITANCE;
  access.Trustee.TrusteeForm = TRUSTEE_IS_SID;
  access.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
  access.Trustee.ptstrName = static_cast<LPWSTR>(sid);
  PACL newDacl = nullptr;
  bool ok = SetEntriesInAclW(1, &access, oldDacl, &newDacl) == ERROR_SUCCESS;
  if (ok) {
    ok = SetSecurityInfo(object, SE_WINDOW_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, newDacl, nullptr) ==
         ERROR_SUCCESS;
  }
  if (newDacl != nullptr) LocalFree(newDacl);
  LocalFree(descriptor);
  return ok;
}

// Grants the per-launch SID access to winsta0 and the overlay's desktop for the life of one run.
class DesktopGrant {
 public:
  // `identity` (may be null): the account's logon SID, which the token's normal (non-restricting) SIDs need on
  // the Winlogon desktop, where its user has no access of its own.
  bool grant(const std::wstring& desktopName, PSID sid, PSID identity, Failure* failure) {
    sid_ = sid;
    identity_ = identity;
    winsta_ = OpenWindowStationW(L"WinSta0", FALSE, READ_CONTROL | WRITE_DAC);
    if (winsta_ == nullptr) return Fail(failure, L"open-window-station");
    desktop_ = OpenDesktopW(desktopName.c_str(), 0, FALSE, READ_CONTROL | WRITE_DAC);
    if (desktop_ == nullptr) return Fail(failure, L"open-desktop");
    if (!ChangeWindowObjectAccess(winsta_, sid, kWinstaRights, GRANT_ACCESS)) return Fail(failure, L"grant-winsta");
    winstaGranted_ = true;
    if (!ChangeWindowObjectAccess(desktop_, sid, kDesktopRights, GRANT_ACCESS)) return Fail(failure, L"grant-desktop");
    desktopGranted_ = true;
    if (identity != nullptr) {
      if (!ChangeWindowObjectAccess(winsta_, identity, kWinstaRights, GRANT_ACCESS)) return Fail(failure, L"grant-winsta-logon-sid");
      identityWinstaGranted_ = true;
      if (!ChangeWindowObjectAccess(desktop_, identity, kDesktopRights, GRANT_ACCESS)) return Fail(failure, L"grant-desktop-logon-sid");
      identityDesktopGranted_ = true;
    }
    return true;
  }
  ~DesktopGrant() {
    if (identityDesktopGranted_) ChangeWindowObjectAccess(desktop_, identity_, 0, REVOKE_ACCESS);
    if (identityWinstaGranted_) ChangeWindowObjectAccess(winsta_, identity_, 0, REVOKE_ACCESS);
    if (desktopGranted_) ChangeWindowObjectAccess(desktop_, sid_, 0, REVOKE_ACCESS);
    if (winstaGranted_) ChangeWindowObjectAccess(winsta_, sid_, 0, REVOKE_ACCESS);
    if (desktop_ != nullptr) CloseDesktop(desktop_);
    if (winsta_ != nullptr) CloseWindowStation(winsta_);
  }

 private:
  PSID sid_ = nullptr;
  PSID identity_ = nullptr;
  bool identityWinstaGranted_ = false;
  bool identityDesktopGranted_ = false;
  HWINSTA winsta_ = nullptr;
  HDESK desktop_ = nullptr;
  bool winstaGranted_ = false;
  bool desktopGranted_ = false;
};

std::wstring EnvOrEmpty(const wchar_t* name) {
  wchar_t buffer[1024];
  const DWORD n = GetEnvironmentVariableW(name, buffer, 1024);
  if (n == 0 || n >= 1024) return std::wstring();
  return std::wstring(buffer, n);
}

// The logon SID of a token (S-1-5-5-x-y: unique to this logon, so to this launch), or its user SID when it has
// none. Written into `buffer`.
PSID IdentitySid(HANDLE token, std::vector<BYTE>* buffer) {
  DWORD size = 0;
  GetTokenInformation(token, TokenGroups, nullptr, 0, &size);
  std::vector<BYTE> groups(size);
  if (size != 0 && GetTokenInformation(token, TokenGroups, groups.data(), size, &size)) {
    const auto* list = reinterpret_cast<TOKEN_GROUPS*>(groups.data());
    for (DWORD i = 0; i < list->GroupCount; ++i) {
      if ((list->Groups[i].Attributes & SE_GROUP_LOGON_ID) == SE_GROUP_LOGON_ID) {
        buffer->assign(static_cast<BYTE*>(list->Groups[i].Sid),
                       static_cast<BYTE*>(list->Groups[i].Sid) + GetLengthSid(list->Groups[i].Sid));
        return buffer->data();
      }
    }
  }
  BYTE user[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
  if (!GetTokenInformation(token, TokenUser, user, sizeof user, &size)) return nullptr;
  PSID sid = reinterpret_cast<TOKEN_USER*>(user)->User.Sid;
  buffer->assign(static_cast<BYTE*>(sid), static_cast<BYTE*>(sid) + GetLengthSid(sid));
  return buffer->data();
}

std::wstring RandomHex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  if (!BCRYPT_SUCCESS(BCryptGenRandom(nullptr, random.data(), static_cast<ULONG>(bytes), BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
    return std::wstring();
  }
  std::wstring out;
  for (unsigned char b : random) out += HexW(b, 2);
  return out;
}

// %ProgramData%\SsprLogon as the MSI creates it: Users and the overlay's RESTRICTED SID read (config.json).
const wchar_t* const kProductFolderSddl =
    L"D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;RC)";
// ...\logs: SYSTEM and Administrators only (the overlay's lines reach it through the shim's pipe).
const wchar_t* const kLogFolderSddl = L"D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)";

// The product-data folder and its two sub-folders, each opened through SafeFolder: never through a reparse
// point, taken over when someone else owns it, and held open (no delete sharing) for the whole run.
struct DataFolders {
  SafeFolder product;
  SafeFolder logs;
  SafeFolder runtime;
  SafeFolder run;  // Overlay\run-<random>: this launch's profile and data folder
  std::wstring runName;
};

bool PrepareDataFolders(DataFolders* folders, PSID identity, LaunchResult* result, Failure* failure) {
  const std::wstring productPath = EnsureProductDataFolder();
  if (productPath.empty()) return Fail(failure, L"product-folder", ERROR_PATH_NOT_FOUND);
  FolderReport report;
  const bool ok = folders->product.Open(productPath, kProductFolderSddl, &report) &&
                  folders->logs.OpenChild(folders->product, L"logs", kLogFolderSddl, &report) &&
                  folders->runtime.OpenChild(folders->product, L"Overlay", kRuntimeFolderSddl, &report);
  result->productFolderTakenOver = report.tookOwnership;
  if (!ok) return Fail(failure, (L"product-folder:" + report.failedStep).c_str(), report.error);
  // This launch's own folder: the account's logon SID (normal check) and RESTRICTED (restricted check) may
  // modify it, nobody else but SYSTEM and Administrators; Low label so the Low overlay can write.
  LPWSTR identityText = nullptr;
  if (identity == nullptr || !ConvertSidToStringSidW(identity, &identityText)) return Fail(failure, L"run-folder-sid");
  const std::wstring sddl = std::wstring(L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;RC)(A;OICI;0x1301bf;;;") +
                            identityText + L")S:(ML;OICI;NW;;;LW)";
  LocalFree(identityText);
  const std::wstring name = L"run-" + RandomHex(8);
  if (!IsRunFolderName(name)) return Fail(failure, L"run-folder-name");
  folders->runName = name;
  if (!folders->run.OpenChild(folders->runtime, name, sddl.c_str(), &report)) {
    return Fail(failure, (L"run-folder:" + report.failedStep).c_str(), report.error);
  }
  return true;
}

// Each launch leaves its folder (Chromium's profile and cache, crash reports) for diagnosis until the next one,
// which removes the folders of earlier runs here. The overlay account wrote them, so RemoveTree never follows a
// link it planted; a folder another launch still holds (one in another session) is left for a later launch.
// Stops between folders when the provider is going away; what is left waits for the next launch.
void RemoveEarlierRunFolders(const SafeFolder& runtime, const std::wstring& current, HANDLE stopEvent) {
  for (const FolderEntry& entry : runtime.List()) {
    if (stopEvent != nullptr && WaitForSingleObject(stopEvent, 0) == WAIT_OBJECT_0) return;
    if (entry.name != current && IsRunFolderName(entry.name)) runtime.RemoveTree(entry.name);
  }
}

// A fixed, minimal environment: nothing from LogonUI's environment except where Windows lives.
std::vector<wchar_t> BuildEnvironment(const std::wstring& runtimeFolder) {
  std::vector<std::wstring> vars;
  for (const wchar_t* name : {L"SystemRoot", L"windir", L"SystemDrive", L"ProgramData", L"ALLUSERSPROFILE",
                              L"ProgramFiles", L"CommonProgramFiles", L"PROCESSOR_ARCHITECTURE",
                              L"NUMBER_OF_PROCESSORS", L"OS"}) {
    const std::wstring value = EnvOrEmpty(name);
    if (!value.empty()) vars.push_back(std::wstring(name) + L"=" + value);
  }
  const std::wstring systemRoot = EnvOrEmpty(L"SystemRoot");
  vars.push_back(L"PATH=" + systemRoot + L"\\system32;" + systemRoot);
  for (const wchar_t* name : {L"TEMP", L"TMP", L"APPDATA", L"LOCALAPPDATA", L"USERPROFILE"}) {
    vars.push_back(std::wstring(name) + L"=" + runtimeFolder);
  }
  std::sort(vars.begin(), vars.end(), [](const std::wstring& a, const std::wstring& b) {
    return _wcsicmp(a.c_str(), b.c_str()) < 0;
  });
  std::vector<wchar_t> block;
  for (const auto& v : vars) {
    block.insert(block.end(), v.begin(), v.end());
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

bool ConfigureJob(HANDLE job, LaunchResult* result, Failure* failure) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
                                            JOB_OBJECT_LIMIT_JOB_MEMORY |
                                            JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
  limits.BasicLimitInformation.ActiveProcessLimit = kActiveProcessLimit;
  limits.JobMemoryLimit = kJobMemoryLimit;
  if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
    return Fail(failure, L"job-limits");
  }
  result->jobProcessLimit = limits.BasicLimitInformation.ActiveProcessLimit;
  result->jobAllowsBreakaway =
      (limits.BasicLimitInformation.LimitFlags & (JOB_OBJECT_LIMIT_BREAKAWAY_OK | JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK)) != 0;
  JOBOBJECT_BASIC_UI_RESTRICTIONS ui = {};
  ui.UIRestrictionsClass = JOB_OBJECT_UILIMIT_DESKTOP | JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
                           JOB_OBJECT_UILIMIT_EXITWINDOWS | JOB_OBJECT_UILIMIT_GLOBALATOMS |
                           JOB_OBJECT_UILIMIT_HANDLES | JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS;
  if (!SetInformationJobObject(job, JobObjectBasicUIRestrictions, &ui, sizeof ui)) {
    return Fail(failure, L"job-ui-restrictions");
  }
  return true;
}

// What the launcher learns from the overlay's lines while the reader stores them.
struct LineWatch {
  volatile LONG uiReady = 0;
#ifdef SSPR_WINE_TEST_BUILD
  // Set when the stand-in reports that it hangs (test build only, see the watchdog wait below).
  HANDLE hanging = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  ~LineWatch() {
    if (hanging != nullptr) CloseHandle(hanging);
  }
#endif
};

void WatchLine(void* context, const std::string& line) {
  auto* watch = static_cast<LineWatch*>(context);
  if (IsUiReadyLine(line)) InterlockedExchange(&watch->uiReady, 1);
#ifdef SSPR_WINE_TEST_BUILD
  if (watch->hanging != nullptr && line.find("\"event\":\"standin.hanging\"") != std::string::npos) SetEvent(watch->hanging);
#endif
}

}  // namespace

OsVersion CurrentOsVersion() {
  OsVersion version;
  using RtlGetVersionFn = LONG(WINAPI*)(OSVERSIONINFOW*);
  const HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  const auto rtlGetVersion =
      ntdll != nullptr ? reinterpret_cast<RtlGetVersionFn>(reinterpret_cast<void*>(GetProcAddress(ntdll, "RtlGetVersion")))
                       : nullptr;
  OSVERSIONINFOW info = {};
  info.dwOSVersionInfoSize = sizeof info;
  if (rtlGetVersion != nullptr && rtlGetVersion(&info) == 0) {
    version.major = info.dwMajorVersion;
    version.minor = info.dwMinorVersion;
  }
  return version;
}

LaunchResult RunOverlay(const LaunchRequest& request, HANDLE stopEvent, StartedCallback onStarted, void* context) {
  LaunchResult result;
  Failure failure;
  auto failed = [&](bool leastPrivilege) {
    result.kind = EndKind::LaunchFailed;
    result.failedStep = failure.step;
    result.win32Error = failure.error;
    result.leastPrivilegeRefused = leastPrivilege;
    return result;
  };

  // The payload is checked first and stays open, write- and delete-sharing denied, until the run has ended.
  PayloadLock payloadLock;
  const PayloadVerdict payload = VerifyPayload(request.workingDir, &payloadLock);
  if (!payload.ok) {
    Fail(&failure, L"payload-check", payload.error);
    result.failureEvent = EventId::PayloadRejected;
    result.failureDetail = payload.reason + (payload.file.empty() ? L"" : L": " + payload.file);
    return failed(false);
  }

  // The dedicated account (docs/shim-least-privilege.md). Its failures end here with their own event and
  // never count toward self-disable: a policy can break it on every PC at once.
  Handle accountToken;
  if (OverlayAccountEnabled()) {
    AccountLogon logon;
    if (!LogOnOverlayAccount(ActiveAccountApi(), &logon)) {
      result.kind = EndKind::AccountUnavailable;
      result.failedStep = logon.failedStep;
      result.win32Error = logon.error;
      return result;
    }
    accountToken.reset(logon.token);
    result.accountCreated = logon.created;
  }
  HANDLE identitySource = accountToken.h;
  Handle ownToken;
  if (identitySource == nullptr) {
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &ownToken.h)) {
      Fail(&failure, L"open-process-token");
      return failed(true);
    }
    identitySource = ownToken.h;
  }
  std::vector<BYTE> identityBuffer;
  PSID identity = IdentitySid(identitySource, &identityBuffer);

  PerLaunchSid perLaunch;
  if (!perLaunch.create()) {
    Fail(&failure, L"per-launch-sid");
    return failed(true);
  }
  Handle token;
  if (!MakeOverlayToken(perLaunch.sid, accountToken.h, &token, &failure)) return failed(true);

  DataFolders folders;
  if (!PrepareDataFolders(&folders, identity, &result, &failure)) {
    result.failureEvent = EventId::ProductDataFolderRejected;
    return failed(false);
  }
  const std::wstring runtimeFolder = folders.run.path();

  DesktopGrant grant;
  if (!grant.grant(request.desktopName, perLaunch.sid, accountToken ? identity : nullptr, &failure)) return failed(false);

  Handle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) {
    Fail(&failure, L"create-job");
    return failed(false);
  }
  if (!ConfigureJob(job.h, &result, &failure)) return failed(false);

  std::vector<wchar_t> environment = BuildEnvironment(runtimeFolder);
  std::vector<wchar_t> commandLine(request.commandLine.begin(), request.commandLine.end());
  commandLine.push_back(L'\0');
  std::wstring desktop = L"winsta0\\" + request.desktopName;

  // The overlay's stdout/stderr is a pipe to us: it logs there, we store the lines where it cannot write.
  // Only the two pipe ends (this one and the stdin handshake below) are inherited
  // (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), nothing else of LogonUI's.
  // Declared first so it is destroyed last: every early return closes the write end before the reader
  // waits for the end of the pipe.
  LineWatch watch;  // before the reader, which writes it until it is destroyed
  OverlayLogReader logReader(folders.logs);  // every log file through the logs folder's handle
  logReader.SetLineObserver(&WatchLine, &watch);
  SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, nullptr, TRUE};
  HANDLE logRead = nullptr;
  Handle logWrite;
  if (!CreatePipe(&logRead, &logWrite.h, &inheritable, 0) || !SetHandleInformation(logRead, HANDLE_FLAG_INHERIT, 0)) {
    if (logRead != nullptr) CloseHandle(logRead);
    Fail(&failure, L"log-pipe");
    return failed(false);
  }
  if (!logReader.Start(logRead)) {
    Fail(&failure, L"log-reader");
    return failed(false);
  }
  // The overlay's stdin: one handshake line carrying the log salt (docs/shim.md "Overlay logs").
  HANDLE handshakeReadRaw = nullptr;
  Handle handshakeWrite;
  if (!CreatePipe(&handshakeReadRaw, &handshakeWrite.h, &inheritable, 0) ||
      !SetHandleInformation(handshakeWrite.h, HANDLE_FLAG_INHERIT, 0)) {
    if (handshakeReadRaw != nullptr) CloseHandle(handshakeReadRaw);
    Fail(&failure, L"handshake-pipe");
    return failed(false);
  }
  Handle handshakeRead(handshakeReadRaw);
  HANDLE inherited[2] = {logWrite.h, handshakeRead.h};
  SIZE_T attributeBytes = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &attributeBytes);
  std::vector<unsigned char> attributeBuffer(attributeBytes);
  auto* attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attributeBuffer.data());
  if (!InitializeProcThreadAttributeList(attributes, 1, 0, &attributeBytes)) {
    Fail(&failure, L"attribute-list");
    return failed(false);
  }
  struct AttributeListGuard {
    LPPROC_THREAD_ATTRIBUTE_LIST list;
    ~AttributeListGuard() { DeleteProcThreadAttributeList(list); }
  } attributeGuard{attributes};
  if (!UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited, sizeof inherited,
                                 nullptr, nullptr)) {
    Fail(&failure, L"attribute-handle-list");
    return failed(false);
  }

  STARTUPINFOEXW startup = {};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.lpDesktop = &desktop[0];
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = handshakeRead.h;
  startup.StartupInfo.hStdOutput = logWrite.h;
  startup.StartupInfo.hStdError = logWrite.h;
  startup.lpAttributeList = attributes;
  PROCESS_INFORMATION process = {};
  if (!CreateProcessAsUserW(token.h, request.exePath.c_str(), commandLine.data(), nullptr, nullptr, TRUE,
                            CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | CREATE_DEFAULT_ERROR_MODE |
                                EXTENDED_STARTUPINFO_PRESENT,
                            environment.data(), request.workingDir.c_str(), &startup.StartupInfo, &process)) {
    // Fail closed: there is deliberately no retry with LogonUI's own (SYSTEM) token.
    Fail(&failure, L"create-process-as-user");
    return failed(false);
  }
  // Only the overlay (and what it passes the handle to) may hold the write end, so the pipe ends with it.
  logWrite.reset();
  handshakeRead.reset();
  // Fits the pipe's buffer, so this never blocks; without it the overlay hashes with a per-run salt.
  const std::string handshake = OverlayHandshakeLine(folders.logs);
  DWORD handshakeWritten = 0;
  WriteFile(handshakeWrite.h, handshake.data(), static_cast<DWORD>(handshake.size()), &handshakeWritten, nullptr);
  handshakeWrite.reset();
  Handle processHandle(process.hProcess);
  Handle threadHandle(process.hThread);
  if (!AssignProcessToJobObject(job.h, processHandle.h)) {
    Fail(&failure, L"assign-to-job");
    TerminateProcess(processHandle.h, 1);
    return failed(false);
  }
  if (ResumeThread(threadHandle.h) == static_cast<DWORD>(-1)) {
    Fail(&failure, L"resume");
    TerminateJobObject(job.h, 1);
    return failed(false);
  }
  result.processId = process.dwProcessId;
  if (onStarted != nullptr) onStarted(context, process.dwProcessId, result);
  // Once the overlay is on its way, so the user never waits for it. The watchdog period runs from here, so
  // a long clean-up (the first launch after an upgrade) does not lengthen it.
  ULONGLONG watchdogFrom = GetTickCount64();
  RemoveEarlierRunFolders(folders.runtime, folders.runName, stopEvent);

#ifdef SSPR_WINE_TEST_BUILD
  // Wine test build only (never shipped): the watchdog period starts when the stand-in reports that it hangs
  // rather than at launch, so a slow start on a loaded test machine cannot turn a crash, an exit code or the
  // UI-ready line into a watchdog kill. The period, the kill and what they count are the production code's.
  if (watch.hanging != nullptr) {
    HANDLE arming[3] = {processHandle.h, watch.hanging, stopEvent};
    WaitForMultipleObjects(stopEvent != nullptr ? 3 : 2, arming, FALSE, 120000);
    watchdogFrom = GetTickCount64();
  }
#endif
  const ULONGLONG spent = GetTickCount64() - watchdogFrom;
  const DWORD watchdogLeft = spent >= request.watchdogMs ? 0 : request.watchdogMs - static_cast<DWORD>(spent);
  HANDLE waits[2] = {processHandle.h, stopEvent};
  const DWORD waited = WaitForMultipleObjects(stopEvent != nullptr ? 2 : 1, waits, FALSE, watchdogLeft);
  if (waited == WAIT_OBJECT_0) {
    DWORD code = 0;
    GetExitCodeProcess(processHandle.h, &code);
    result.kind = EndKind::Exited;
    result.exitCode = code;
  } else {
    result.kind = waited == WAIT_OBJECT_0 + 1 ? EndKind::StoppedWithProvider : EndKind::WatchdogKilled;
    TerminateJobObject(job.h, ERROR_TIMEOUT);
    WaitForSingleObject(processHandle.h, 10000);
    result.exitCode = ERROR_TIMEOUT;
  }
  // Closing the job kills anything the overlay left behind (KILL_ON_JOB_CLOSE).
  job.reset();
  logReader.Finish();
  result.uiReady = InterlockedCompareExchange(&watch.uiReady, 0, 0) != 0;
  return result;
}

}  // namespace sspr
