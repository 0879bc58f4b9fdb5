// The dedicated low-privilege local account the overlay runs as (docs/shim-least-privilege.md "The dedicated
// account"), in the spirit of Windows 10's defaultuser1: so that the overlay's user SID is not SYSTEM.
//
// Life cycle: created by the shim (it runs as SYSTEM inside LogonUI) on the first launch, hidden from the
// logon screen (Winlogon\SpecialAccounts\UserList), removed by the MSI at uninstall. Its password is a fresh
// random one set right before every logon and never stored anywhere: it exists only in the shim's memory
// for the moment of the logon, so only SYSTEM ever holds it.
//
// Every Windows call goes through AccountApi, so the wine tests can replace the calls wine only stubs
// (NetUserAdd, LogonUser) and check their arguments (SsprLogonCP-winetest.dll only).
#pragma once

#include <windows.h>

#include <string>

namespace sspr {

extern const wchar_t* const kOverlayAccountName;  // SsprLogonOverlay

class AccountApi {
 public:
  virtual ~AccountApi() = default;
  // NERR_Success, NERR_UserNotFound, or another NET_API_STATUS.
  virtual DWORD QueryUser(const std::wstring& name) = 0;
  // NetUserAdd level 1 (USER_PRIV_USER) with these USER_INFO_1 flags.
  virtual DWORD AddUser(const std::wstring& name, const std::wstring& password, const std::wstring& comment,
                        DWORD flags) = 0;
  // NetUserSetInfo level 1003 (an administrator's reset: no history or minimum-age rule applies).
  virtual DWORD SetPassword(const std::wstring& name, const std::wstring& password) = 0;
  // LogonUser(name, domain, password, logonType, LOGON32_PROVIDER_DEFAULT): a primary token.
  virtual DWORD LogOn(const std::wstring& name, const std::wstring& domain, const std::wstring& password,
                      DWORD logonType, HANDLE* token) = 0;
};

AccountApi& SystemAccountApi();

struct AccountLogon {
  HANDLE token = nullptr;  // owned by the caller
  bool created = false;    // the account did not exist and was created now
  std::wstring failedStep;
  DWORD error = 0;
};

// Makes sure the account exists and is hidden, gives it a fresh random password and logs it on. Writes
// HKLM\SOFTWARE\SsprLogon\State AccountStatus ("ok", "create-failed", "password-failed", "logon-failed") and
// AccountError (the Win32/NET error) for `sspr-logon doctor`.
bool LogOnOverlayAccount(AccountApi& api, AccountLogon* logon);

// The account API the launcher uses: the system one, or in SsprLogonCP-winetest.dll only, a recorder when
// HKLM\SOFTWARE\SsprLogon\TestAccountLog names a file (see the implementation).
AccountApi& ActiveAccountApi();

}  // namespace sspr
