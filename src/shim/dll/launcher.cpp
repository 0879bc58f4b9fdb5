#include "launcher.h"

#include "overlay_log.h"
#include "settings.h"

#include <aclapi.h>
#include <bcrypt.h>
#include <sddl.h>

#include <algorithm>
#include <cwctype>
#include <vector>

namespace sspr {
namespace {

// Rights the overlay needs on winsta0 and on its desktop: create and use windows, atoms and the clipboard
// (paste must work). Deliberately absent: hooks, journaling, switching or creating desktops, reading the
// screen, exiting Windows.
constexpr DWORD kDesktopRights = DESKTOP_READOBJECTS | DESKTOP_WRITEOBJECTS | DESKTOP_CREATEWINDOW |
                                 DESKTOP_CREATEMENU | DESKTOP_ENUMERATE | READ_CONTROL;
constexpr DWORD kWinstaRights = WINSTA_ACCESSCLIPBOARD | WINSTA_ACCESSGLOBALATOMS | WINSTA_ENUMDESKTOPS |
                                WINSTA_ENUMERATE | WINSTA_READATTRIBUTES | READ_CONTROL;

constexpr DWORD kActiveProcessLimit = 32;                        // Electron: browser, GPU, renderer, utility...
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
bool MakeOverlayToken(PSID perLaunch, Handle* token, Failure* failure) {
  Handle own;
  if (!OpenProcessToken(GetCurrentProcess(),
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
  bool grant(const std::wstring& desktopName, PSID sid, Failure* failure) {
    sid_ = sid;
    winsta_ = OpenWindowStationW(L"WinSta0", FALSE, READ_CONTROL | WRITE_DAC);
    if (winsta_ == nullptr) return Fail(failure, L"open-window-station");
    desktop_ = OpenDesktopW(desktopName.c_str(), 0, FALSE, READ_CONTROL | WRITE_DAC);
    if (desktop_ == nullptr) return Fail(failure, L"open-desktop");
    if (!ChangeWindowObjectAccess(winsta_, sid, kWinstaRights, GRANT_ACCESS)) return Fail(failure, L"grant-winsta");
    winstaGranted_ = true;
    if (!ChangeWindowObjectAccess(desktop_, sid, kDesktopRights, GRANT_ACCESS)) return Fail(failure, L"grant-desktop");
    desktopGranted_ = true;
    return true;
  }
  ~DesktopGrant() {
    if (desktopGranted_) ChangeWindowObjectAccess(desktop_, sid_, 0, REVOKE_ACCESS);
    if (winstaGranted_) ChangeWindowObjectAccess(winsta_, sid_, 0, REVOKE_ACCESS);
    if (desktop_ != nullptr) CloseDesktop(desktop_);
    if (winsta_ != nullptr) CloseWindowStation(winsta_);
  }

 private:
  PSID sid_ = nullptr;
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

bool PrepareRuntimeFolder(std::wstring* folder, Failure* failure) {
  const std::wstring product = EnsureProductDataFolder();
  if (product.empty()) return Fail(failure, L"runtime-folder", ERROR_PATH_NOT_FOUND);
  *folder = JoinPath(product, L"Overlay");
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(kRuntimeFolderSddl, SDDL_REVISION_1, &descriptor,
                                                            nullptr)) {
    return Fail(failure, L"runtime-folder-sddl");
  }
  SECURITY_ATTRIBUTES attributes = {sizeof attributes, descriptor, FALSE};
  const BOOL created = CreateDirectoryW(folder->c_str(), &attributes);
  const DWORD createError = GetLastError();
  LocalFree(descriptor);
  if (!created && createError != ERROR_ALREADY_EXISTS) return Fail(failure, L"runtime-folder", createError);
  // A junction planted where the folder should be would redirect the overlay's writes.
  const DWORD attrs = GetFileAttributesW(folder->c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY) || (attrs & FILE_ATTRIBUTE_REPARSE_POINT)) {
    return Fail(failure, L"runtime-folder-check", ERROR_BAD_PATHNAME);
  }
  return true;
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

bool ConfigureJob(HANDLE job, Failure* failure) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS |
                                            JOB_OBJECT_LIMIT_JOB_MEMORY |
                                            JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
  limits.BasicLimitInformation.ActiveProcessLimit = kActiveProcessLimit;
  limits.JobMemoryLimit = kJobMemoryLimit;
  if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) {
    return Fail(failure, L"job-limits");
  }
  JOBOBJECT_BASIC_UI_RESTRICTIONS ui = {};
  ui.UIRestrictionsClass = JOB_OBJECT_UILIMIT_DESKTOP | JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
                           JOB_OBJECT_UILIMIT_EXITWINDOWS | JOB_OBJECT_UILIMIT_GLOBALATOMS |
                           JOB_OBJECT_UILIMIT_HANDLES | JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS;
  if (!SetInformationJobObject(job, JobObjectBasicUIRestrictions, &ui, sizeof ui)) {
    return Fail(failure, L"job-ui-restrictions");
  }
  return true;
}

}  // namespace

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

  PerLaunchSid perLaunch;
  if (!perLaunch.create()) {
    Fail(&failure, L"per-launch-sid");
    return failed(true);
  }
  Handle token;
  if (!MakeOverlayToken(perLaunch.sid, &token, &failure)) return failed(true);

  std::wstring runtimeFolder;
  if (!PrepareRuntimeFolder(&runtimeFolder, &failure)) return failed(false);

  DesktopGrant grant;
  if (!grant.grant(request.desktopName, perLaunch.sid, &failure)) return failed(false);

  Handle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) {
    Fail(&failure, L"create-job");
    return failed(false);
  }
  if (!ConfigureJob(job.h, &failure)) return failed(false);

  std::vector<wchar_t> environment = BuildEnvironment(runtimeFolder);
  std::vector<wchar_t> commandLine(request.commandLine.begin(), request.commandLine.end());
  commandLine.push_back(L'\0');
  std::wstring desktop = L"winsta0\\" + request.desktopName;

  // The overlay's stdout/stderr is a pipe to us: it logs there, we store the lines where it cannot write.
  // Only the two pipe ends (this one and the stdin handshake below) are inherited
  // (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), nothing else of LogonUI's.
  // Declared first so it is destroyed last: every early return closes the write end before the reader
  // waits for the end of the pipe.
  OverlayLogReader logReader;
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
  const std::string handshake = OverlayHandshakeLine();
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
  if (onStarted != nullptr) onStarted(context, process.dwProcessId);

  HANDLE waits[2] = {processHandle.h, stopEvent};
  const DWORD waited = WaitForMultipleObjects(stopEvent != nullptr ? 2 : 1, waits, FALSE, request.watchdogMs);
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
  return result;
}

}  // namespace sspr
