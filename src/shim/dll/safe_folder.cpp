#include "safe_folder.h"

#include <aclapi.h>
#include <sddl.h>
#include <winternl.h>

#include "../core/policy.h"

namespace sspr {
namespace {

// What the shim needs on its own folders: list, create, read the security descriptor and, when the folder
// has to be taken over, set owner and DACL.
constexpr ACCESS_MASK kFolderAccess = FILE_LIST_DIRECTORY | FILE_TRAVERSE | FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY |
                                      FILE_READ_ATTRIBUTES | READ_CONTROL | WRITE_DAC | WRITE_OWNER | SYNCHRONIZE;

using NtCreateFileFn = NTSTATUS(NTAPI*)(PHANDLE, ACCESS_MASK, POBJECT_ATTRIBUTES, PIO_STATUS_BLOCK, PLARGE_INTEGER,
                                        ULONG, ULONG, ULONG, ULONG, PVOID, ULONG);
using RtlNtStatusToDosErrorFn = ULONG(NTAPI*)(NTSTATUS);
using NtSetInformationFileFn = NTSTATUS(NTAPI*)(HANDLE, PIO_STATUS_BLOCK, PVOID, ULONG, ULONG);
// FILE_INFORMATION_CLASS FileRenameInformation; its FILE_RENAME_INFORMATION has FILE_RENAME_INFO's layout.
constexpr ULONG kFileRenameInformation = 10;

// Looked up at run time so the DLL's import table stays the documented list of system DLLs.
NtCreateFileFn NtCreate() {
  static const auto fn = reinterpret_cast<NtCreateFileFn>(
      reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtCreateFile")));
  return fn;
}

NtSetInformationFileFn NtSetInformation() {
  static const auto fn = reinterpret_cast<NtSetInformationFileFn>(
      reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "NtSetInformationFile")));
  return fn;
}

DWORD DosError(NTSTATUS status) {
  static const auto fn = reinterpret_cast<RtlNtStatusToDosErrorFn>(
      reinterpret_cast<void*>(GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "RtlNtStatusToDosError")));
  return fn != nullptr ? fn(status) : ERROR_GEN_FAILURE;
}

bool Fail(FolderReport* report, const wchar_t* step, DWORD error) {
  report->failedStep = step;
  report->error = error == 0 ? ERROR_GEN_FAILURE : error;
  return false;
}

// SeTakeOwnership, SeRestore and SeBackup on a thread token for the duration of one folder operation: a folder
// someone else created may grant SYSTEM nothing, and the take-over must still work. LogonUI's own process
// token is never changed.
class BackupPrivileges {
 public:
  BackupPrivileges() {
    if (!ImpersonateSelf(SecurityImpersonation)) return;
    impersonating_ = true;
    HANDLE token = nullptr;
    if (!OpenThreadToken(GetCurrentThread(), TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, TRUE, &token)) return;
    const wchar_t* names[] = {SE_TAKE_OWNERSHIP_NAME, SE_RESTORE_NAME, SE_BACKUP_NAME};
    for (const wchar_t* name : names) {
      TOKEN_PRIVILEGES privileges = {};
      privileges.PrivilegeCount = 1;
      privileges.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
      if (LookupPrivilegeValueW(nullptr, name, &privileges.Privileges[0].Luid)) {
        AdjustTokenPrivileges(token, FALSE, &privileges, 0, nullptr, nullptr);
      }
    }
    CloseHandle(token);
  }
  ~BackupPrivileges() {
    if (impersonating_) RevertToSelf();
  }
  BackupPrivileges(const BackupPrivileges&) = delete;
  BackupPrivileges& operator=(const BackupPrivileges&) = delete;

 private:
  bool impersonating_ = false;
};

// SYSTEM, Administrators, or the shim's own token user (SYSTEM inside LogonUI; the test user under wine).
bool IsTrustedOwner(PSID owner) {
  if (owner == nullptr) return false;
  if (IsWellKnownSid(owner, WinLocalSystemSid) || IsWellKnownSid(owner, WinBuiltinAdministratorsSid)) return true;
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return false;
  BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
  DWORD size = 0;
  const bool ok = GetTokenInformation(token, TokenUser, buffer, sizeof buffer, &size) &&
                  EqualSid(owner, reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid);
  CloseHandle(token);
  return ok;
}

HANDLE CreateRelative(HANDLE root, const std::wstring& name, ACCESS_MASK access, ULONG share, ULONG disposition,
                      ULONG options, PSECURITY_DESCRIPTOR descriptor, DWORD* error) {
  const NtCreateFileFn create = NtCreate();
  if (create == nullptr) {
    *error = ERROR_PROC_NOT_FOUND;
    return INVALID_HANDLE_VALUE;
  }
  UNICODE_STRING unicode;
  unicode.Buffer = const_cast<PWSTR>(name.c_str());
  unicode.Length = static_cast<USHORT>(name.size() * sizeof(wchar_t));
  unicode.MaximumLength = unicode.Length;
  OBJECT_ATTRIBUTES attributes;
  InitializeObjectAttributes(&attributes, &unicode, OBJ_CASE_INSENSITIVE, root, descriptor);
  IO_STATUS_BLOCK io = {};
  HANDLE handle = nullptr;
  // FILE_OPEN_REPARSE_POINT: a junction or symlink planted under this name is opened itself, never followed.
  const NTSTATUS status = create(&handle, access | SYNCHRONIZE, &attributes, &io, nullptr, FILE_ATTRIBUTE_NORMAL, share,
                                 disposition, options | FILE_OPEN_REPARSE_POINT | FILE_SYNCHRONOUS_IO_NONALERT, nullptr, 0);
  if (status < 0) {
    *error = DosError(status);
    return INVALID_HANDLE_VALUE;
  }
  return handle;
}

// The entries of the folder `handle`, read through that handle (never by a path looked up again).
std::vector<FolderEntry> ListThrough(HANDLE handle) {
  std::vector<FolderEntry> entries;
  if (handle == INVALID_HANDLE_VALUE) return entries;
  // 8-byte aligned: the records hold LARGE_INTEGERs.
  std::vector<std::uint64_t> buffer(8192);
  FILE_INFO_BY_HANDLE_CLASS kind = FileIdBothDirectoryRestartInfo;  // from the start on every call
  while (GetFileInformationByHandleEx(handle, kind, buffer.data(), static_cast<DWORD>(buffer.size() * sizeof buffer[0]))) {
    kind = FileIdBothDirectoryInfo;
    const auto* bytes = reinterpret_cast<const unsigned char*>(buffer.data());
    for (;;) {
      const auto* info = reinterpret_cast<const FILE_ID_BOTH_DIR_INFO*>(bytes);
      FolderEntry entry;
      entry.name.assign(info->FileName, info->FileNameLength / sizeof(wchar_t));
      entry.attributes = info->FileAttributes;
      entry.size = static_cast<std::uint64_t>(info->EndOfFile.QuadPart);
      if (entry.name != L"." && entry.name != L"..") entries.push_back(entry);
      if (info->NextEntryOffset == 0) break;
      bytes += info->NextEntryOffset;
    }
  }
  return entries;
}

bool MarkForDeletion(HANDLE handle) {
  FILE_DISPOSITION_INFO disposition = {TRUE};
  return SetFileInformationByHandle(handle, FileDispositionInfo, &disposition, sizeof disposition) != FALSE;
}

// Deeper than any profile Chromium writes; a deeper tree is left rather than walked without end.
constexpr int kMaxTreeDepth = 32;

bool RemoveEntry(HANDLE parent, const std::wstring& name, int depth) {
  if (name.empty() || name == L"." || name == L".." || name.find_first_of(L"\\/:") != std::wstring::npos) return false;
  DWORD error = 0;
  // Whatever the entry is (file, folder, junction, symlink), the entry itself, relative to the folder we hold.
  // DELETE without delete sharing from the other holders: a run folder a running launch holds is refused here.
  HANDLE entry = CreateRelative(parent, name, DELETE | FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, FILE_OPEN_FOR_BACKUP_INTENT, nullptr, &error);
  if (entry == INVALID_HANDLE_VALUE) return false;
  BY_HANDLE_FILE_INFORMATION info = {};
  bool ok = GetFileInformationByHandle(entry, &info) != FALSE;
  const bool reparsePoint = (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
  if (ok && !reparsePoint && (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
    ok = depth < kMaxTreeDepth;
    if (ok) {
      for (const FolderEntry& child : ListThrough(entry)) ok = RemoveEntry(entry, child.name, depth + 1) && ok;
    }
  } else if (ok && !reparsePoint && info.nNumberOfLinks != 1) {
    ok = false;  // another name of a file elsewhere (a system file): never touched
  }
  if (ok && (info.dwFileAttributes & FILE_ATTRIBUTE_READONLY)) {
    // A read-only entry cannot be marked for deletion; the attribute goes on this handle only.
    FILE_BASIC_INFO basic = {};
    basic.FileAttributes = info.dwFileAttributes & ~FILE_ATTRIBUTE_READONLY;
    if (basic.FileAttributes == 0) basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
    SetFileInformationByHandle(entry, FileBasicInfo, &basic, sizeof basic);
  }
  if (ok) ok = MarkForDeletion(entry);
  CloseHandle(entry);
  return ok;
}

}  // namespace

void SafeFolder::Close() {
  if (handle_ != INVALID_HANDLE_VALUE) CloseHandle(handle_);
  handle_ = INVALID_HANDLE_VALUE;
}

bool SafeFolder::Open(const std::wstring& path, const wchar_t* sddl, FolderReport* report) {
  Close();
  path_ = path;
  BackupPrivileges privileges;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor, nullptr)) {
    return Fail(report, L"folder-sddl", GetLastError());
  }
  SECURITY_ATTRIBUTES attributes = {sizeof attributes, descriptor, FALSE};
  CreateDirectoryW(path.c_str(), &attributes);
  LocalFree(descriptor);
  // No FILE_SHARE_DELETE: while we hold it, the folder cannot be renamed away and replaced by a junction.
  handle_ = CreateFileW(path.c_str(), kFolderAccess, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr, OPEN_EXISTING,
                        FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (handle_ == INVALID_HANDLE_VALUE) return Fail(report, L"folder-open", GetLastError());
  return Finish(sddl, report);
}

bool SafeFolder::OpenChild(const SafeFolder& parent, const std::wstring& name, const wchar_t* sddl,
                           FolderReport* report) {
  Close();
  path_ = JoinPath(parent.path(), name);
  BackupPrivileges privileges;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &descriptor, nullptr)) {
    return Fail(report, L"folder-sddl", GetLastError());
  }
  DWORD error = 0;
  handle_ = CreateRelative(parent.handle(), name, kFolderAccess, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN_IF,
                           FILE_DIRECTORY_FILE | FILE_OPEN_FOR_BACKUP_INTENT, descriptor, &error);
  LocalFree(descriptor);
  if (handle_ == INVALID_HANDLE_VALUE) return Fail(report, L"folder-open", error);
  return Finish(sddl, report);
}

bool SafeFolder::Finish(const wchar_t* sddl, FolderReport* report) {
  BY_HANDLE_FILE_INFORMATION info = {};
  if (!GetFileInformationByHandle(handle_, &info)) return Fail(report, L"folder-info", GetLastError());
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) || !(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
    Close();
    return Fail(report, L"folder-reparse-point", ERROR_BAD_PATHNAME);
  }
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR current = nullptr;
  const DWORD read = GetSecurityInfo(handle_, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                                     nullptr, &current);
  if (read != ERROR_SUCCESS) {
    Close();
    return Fail(report, L"folder-owner-read", read);
  }
  const bool trusted = IsTrustedOwner(owner);
  LocalFree(current);
  if (trusted) return true;

  // Someone else created it, so they could change its DACL at any time: take it over.
  PSECURITY_DESCRIPTOR wanted = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &wanted, nullptr)) {
    Close();
    return Fail(report, L"folder-sddl", GetLastError());
  }
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(wanted, &present, &dacl, &defaulted);
  BYTE systemSid[SECURITY_MAX_SID_SIZE];
  DWORD size = sizeof systemSid;
  DWORD set = ERROR_INVALID_SID;
  if (CreateWellKnownSid(WinLocalSystemSid, nullptr, systemSid, &size)) {
    set = SetSecurityInfo(handle_, SE_FILE_OBJECT,
                          OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                          systemSid, nullptr, dacl, nullptr);
  }
  LocalFree(wanted);
  if (set != ERROR_SUCCESS) {
    Close();
    return Fail(report, L"folder-take-ownership", set);
  }
  // Read back: fail closed if the take-over did not hold.
  owner = nullptr;
  current = nullptr;
  if (GetSecurityInfo(handle_, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr, nullptr, &current) !=
          ERROR_SUCCESS ||
      !IsTrustedOwner(owner)) {
    if (current != nullptr) LocalFree(current);
    Close();
    return Fail(report, L"folder-owner-verify", ERROR_INVALID_OWNER);
  }
  LocalFree(current);
  report->tookOwnership = true;
  return true;
}

HANDLE SafeFolder::OpenFile(const std::wstring& name, ACCESS_MASK access, DWORD share, DWORD disposition) const {
  if (handle_ == INVALID_HANDLE_VALUE || name.empty() || name.find_first_of(L"\\/:") != std::wstring::npos ||
      name == L"." || name == L"..") {
    return INVALID_HANDLE_VALUE;
  }
  ULONG ntDisposition = FILE_OPEN;
  if (disposition == OPEN_ALWAYS) ntDisposition = FILE_OPEN_IF;
  else if (disposition == CREATE_ALWAYS) ntDisposition = FILE_OVERWRITE_IF;
  else if (disposition == CREATE_NEW) ntDisposition = FILE_CREATE;
  // The owner is read (READ_CONTROL) only when the contents are wanted: a delete-only open (pruning) must still
  // work on a planted file whose DACL denies SYSTEM that right.
  const bool dataAccess = (access & (GENERIC_READ | GENERIC_WRITE | FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
  DWORD error = 0;
  HANDLE file = CreateRelative(handle_, name, access | FILE_READ_ATTRIBUTES | (dataAccess ? READ_CONTROL : 0), share,
                               ntDisposition, FILE_NON_DIRECTORY_FILE, nullptr, &error);
  if (file == INVALID_HANDLE_VALUE) {
    SetLastError(error);
    return INVALID_HANDLE_VALUE;
  }
  BY_HANDLE_FILE_INFORMATION info = {};
  // A second hard link means the name may be a link to a file elsewhere (a system file): never write to it.
  if (!GetFileInformationByHandle(file, &info) || (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) ||
      info.nNumberOfLinks != 1) {
    CloseHandle(file);
    SetLastError(ERROR_BAD_PATHNAME);
    return INVALID_HANDLE_VALUE;
  }
  // A file someone else owns (planted before the folder was taken over) keeps its owner's right to read it and
  // change its DACL: its contents are never trusted nor written. Deleting it is still allowed.
  if (dataAccess) {
    PSID owner = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    const bool trusted = GetSecurityInfo(file, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                                         nullptr, &descriptor) == ERROR_SUCCESS &&
                         IsTrustedOwner(owner);
    if (descriptor != nullptr) LocalFree(descriptor);
    if (!trusted) {
      CloseHandle(file);
      SetLastError(ERROR_INVALID_OWNER);
      return INVALID_HANDLE_VALUE;
    }
  }
  return file;
}

std::vector<FolderEntry> SafeFolder::List() const { return ListThrough(handle_); }

bool SafeFolder::Rename(HANDLE file, const std::wstring& newName) const {
  const NtSetInformationFileFn setInformation = NtSetInformation();
  if (setInformation == nullptr || handle_ == INVALID_HANDLE_VALUE || file == INVALID_HANDLE_VALUE ||
      newName.empty() || newName.find_first_of(L"\\/:") != std::wstring::npos || newName == L"." || newName == L"..") {
    return false;
  }
  const std::size_t bytes = sizeof(FILE_RENAME_INFO) + newName.size() * sizeof(wchar_t);
  std::vector<std::uint64_t> buffer(bytes / sizeof(std::uint64_t) + 1);
  auto* info = reinterpret_cast<FILE_RENAME_INFO*>(buffer.data());
  info->ReplaceIfExists = FALSE;
  // Relative to the folder's handle: the new name lands in the folder we hold, whatever its path now names.
  // NtSetInformationFile rather than SetFileInformationByHandle, which may turn a relative name into a path
  // under the current directory (wine does) instead of passing RootDirectory through.
  info->RootDirectory = handle_;
  info->FileNameLength = static_cast<DWORD>(newName.size() * sizeof(wchar_t));
  newName.copy(info->FileName, newName.size());
  IO_STATUS_BLOCK io = {};
  const NTSTATUS status = setInformation(file, &io, info, static_cast<ULONG>(bytes), kFileRenameInformation);
  if (status < 0) {
    SetLastError(DosError(status));
    return false;
  }
  return true;
}

bool SafeFolder::RemoveFile(const std::wstring& name) const {
  HANDLE file = OpenFile(name, DELETE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, OPEN_EXISTING);
  if (file == INVALID_HANDLE_VALUE) return false;
  const bool ok = MarkForDeletion(file);
  CloseHandle(file);
  return ok;
}

bool SafeFolder::RemoveTree(const std::wstring& name) const {
  if (handle_ == INVALID_HANDLE_VALUE) return false;
  // What the overlay account wrote may deny SYSTEM access (it owns those files): backup intent and the
  // backup/restore privileges open them anyway, for deletion only.
  BackupPrivileges privileges;
  return RemoveEntry(handle_, name, 0);
}

}  // namespace sspr
