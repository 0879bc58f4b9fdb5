// Folders the shim (SYSTEM) writes into under %ProgramData%, opened so that no one else's preparation can
// redirect those writes (docs/security.md "ProgramData"):
//  - opened as a handle that never follows a reparse point (a junction or symlink is refused, not followed);
//  - owned by SYSTEM or Administrators; a folder someone else created (and so could re-ACL at will) is taken
//    over: owner SYSTEM and the expected protected DACL;
//  - held open without delete sharing while in use, so it cannot be renamed and replaced;
//  - sub-folders and files are created relative to that handle, never by a path string re-read later.
#pragma once

#include <windows.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sspr {

// One entry of a folder listing, read through the folder's handle.
struct FolderEntry {
  std::wstring name;
  DWORD attributes = 0;
  std::uint64_t size = 0;
};

struct FolderReport {
  bool tookOwnership = false;  // the folder had another owner and was taken over (owner + DACL reset)
  std::wstring failedStep;
  DWORD error = 0;
};

class SafeFolder {
 public:
  SafeFolder() = default;
  SafeFolder(const SafeFolder&) = delete;
  SafeFolder& operator=(const SafeFolder&) = delete;
  ~SafeFolder() { Close(); }

  // Opens (creating when missing, with `sddl`) the folder at an absolute path.
  bool Open(const std::wstring& path, const wchar_t* sddl, FolderReport* report);
  // Opens (creating when missing, with `sddl`) the sub-folder `name` of `parent`, relative to its handle.
  bool OpenChild(const SafeFolder& parent, const std::wstring& name, const wchar_t* sddl, FolderReport* report);
  // Opens or creates the file `name` inside this folder, relative to its handle; refuses a reparse point and
  // a file with more than one hard link (a link to a system file), and, when `access` reads or writes data, a
  // file whose owner is not SYSTEM, Administrators or the shim's own user (ERROR_INVALID_OWNER).
  // INVALID_HANDLE_VALUE on refusal. FILE_READ_ATTRIBUTES and READ_CONTROL are always added (the checks need them).
  HANDLE OpenFile(const std::wstring& name, ACCESS_MASK access, DWORD share, DWORD disposition) const;
  // The folder's entries, listed through its handle (never by a path looked up again).
  std::vector<FolderEntry> List() const;
  // Renames `file` (opened through OpenFile with DELETE access) to `newName` in this folder: the rename is
  // done on the handle, relative to the folder's handle, and never replaces an existing name.
  bool Rename(HANDLE file, const std::wstring& newName) const;
  // Deletes the file `name` of this folder: opened through OpenFile (so a link is refused, never followed),
  // then marked for deletion on that handle.
  bool RemoveFile(const std::wstring& name) const;
  // Deletes the entry `name` of this folder with everything inside it, every step relative to the handle of the
  // folder above it: a reparse point (junction, symlink) met anywhere is deleted itself, never followed; a file
  // with a second hard link is left where it is (and so is every folder above it); an entry someone holds open
  // without delete sharing (the run folder of a launch still running) is left whole. True when `name` is gone.
  bool RemoveTree(const std::wstring& name) const;

  HANDLE handle() const { return handle_; }
  const std::wstring& path() const { return path_; }
  void Close();

 private:
  bool Finish(const wchar_t* sddl, FolderReport* report);
  HANDLE handle_ = INVALID_HANDLE_VALUE;
  std::wstring path_;
};

}  // namespace sspr
