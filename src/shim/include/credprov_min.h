// Minimal credential-provider interface definitions for SSPR Logon.
//
// Why this file exists: Debian bookworm ships mingw-w64 10.0.0, which has no credentialprovider.h
// (it arrived in mingw-w64 11). This header declares only what the shim and its harness use, written from
// Microsoft's public interface documentation (credentialprovider.idl as documented on learn.microsoft.com).
// Vtable order and IIDs must match Windows exactly: LogonUI calls these through the vtable.
#pragma once

#include <windows.h>
#include <unknwn.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum _CREDENTIAL_PROVIDER_USAGE_SCENARIO {
  CPUS_INVALID = 0,
  CPUS_LOGON = 1,
  CPUS_UNLOCK_WORKSTATION = 2,
  CPUS_CHANGE_PASSWORD = 3,
  CPUS_CREDUI = 4,
  CPUS_PLAP = 5
} CREDENTIAL_PROVIDER_USAGE_SCENARIO;

typedef enum _CREDENTIAL_PROVIDER_FIELD_TYPE {
  CPFT_INVALID = 0,
  CPFT_LARGE_TEXT = 1,
  CPFT_SMALL_TEXT = 2,
  CPFT_COMMAND_LINK = 3,
  CPFT_EDIT_TEXT = 4,
  CPFT_PASSWORD_TEXT = 5,
  CPFT_TILE_IMAGE = 6,
  CPFT_CHECKBOX = 7,
  CPFT_COMBOBOX = 8,
  CPFT_SUBMIT_BUTTON = 9
} CREDENTIAL_PROVIDER_FIELD_TYPE;

typedef enum _CREDENTIAL_PROVIDER_FIELD_STATE {
  CPFS_HIDDEN = 0,
  CPFS_DISPLAY_IN_SELECTED_TILE = 1,
  CPFS_DISPLAY_IN_DESELECTED_TILE = 2,
  CPFS_DISPLAY_IN_BOTH = 3
} CREDENTIAL_PROVIDER_FIELD_STATE;

typedef enum _CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE {
  CPFIS_NONE = 0,
  CPFIS_READONLY = 1,
  CPFIS_DISABLED = 2,
  CPFIS_FOCUSED = 3
} CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE;

typedef struct _CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR {
  DWORD dwFieldID;
  CREDENTIAL_PROVIDER_FIELD_TYPE cpft;
  LPWSTR pszLabel;
  GUID guidFieldType;
} CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR;

typedef enum _CREDENTIAL_PROVIDER_GET_SERIALIZATION_RESPONSE {
  CPGSR_NO_CREDENTIAL_NOT_FINISHED = 0,
  CPGSR_NO_CREDENTIAL_FINISHED = 1,
  CPGSR_RETURN_CREDENTIAL_FINISHED = 2,
  CPGSR_RETURN_NO_CREDENTIAL_FINISHED = 3
} CREDENTIAL_PROVIDER_GET_SERIALIZATION_RESPONSE;

typedef enum _CREDENTIAL_PROVIDER_STATUS_ICON {
  CPSI_NONE = 0,
  CPSI_ERROR = 1,
  CPSI_WARNING = 2,
  CPSI_SUCCESS = 3
} CREDENTIAL_PROVIDER_STATUS_ICON;

typedef struct _CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION {
  ULONG ulAuthenticationPackage;
  GUID clsidCredentialProvider;
  ULONG cbSerialization;
  byte* rgbSerialization;
} CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION;

#ifndef CREDENTIAL_PROVIDER_NO_DEFAULT
#define CREDENTIAL_PROVIDER_NO_DEFAULT ((DWORD)-1)
#endif

#ifdef __cplusplus
}
#endif

#ifdef __cplusplus

typedef LONG SSPR_NTSTATUS;

struct ICredentialProviderCredentialEvents;
struct ICredentialProviderEvents;

// {63913A93-40C1-481A-818D-4072FF8C70CC}
struct ICredentialProviderCredential : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Advise(ICredentialProviderCredentialEvents* pcpce) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnAdvise() = 0;
  virtual HRESULT STDMETHODCALLTYPE SetSelected(BOOL* pbAutoLogon) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetDeselected() = 0;
  virtual HRESULT STDMETHODCALLTYPE GetFieldState(DWORD dwFieldID, CREDENTIAL_PROVIDER_FIELD_STATE* pcpfs,
                                                  CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE* pcpfis) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetStringValue(DWORD dwFieldID, LPWSTR* ppsz) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetBitmapValue(DWORD dwFieldID, HBITMAP* phbmp) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetCheckboxValue(DWORD dwFieldID, BOOL* pbChecked, LPWSTR* ppszLabel) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetSubmitButtonValue(DWORD dwFieldID, DWORD* pdwAdjacentTo) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetComboBoxValueCount(DWORD dwFieldID, DWORD* pcItems, DWORD* pdwSelectedItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetComboBoxValueAt(DWORD dwFieldID, DWORD dwItem, LPWSTR* ppszItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetStringValue(DWORD dwFieldID, LPCWSTR psz) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetCheckboxValue(DWORD dwFieldID, BOOL bChecked) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetComboBoxSelectedValue(DWORD dwFieldID, DWORD dwSelectedItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE CommandLinkClicked(DWORD dwFieldID) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetSerialization(CREDENTIAL_PROVIDER_GET_SERIALIZATION_RESPONSE* pcpgsr,
                                                     CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION* pcpcs,
                                                     LPWSTR* ppszOptionalStatusText,
                                                     CREDENTIAL_PROVIDER_STATUS_ICON* pcpsiOptionalStatusIcon) = 0;
  virtual HRESULT STDMETHODCALLTYPE ReportResult(SSPR_NTSTATUS ntsStatus, SSPR_NTSTATUS ntsSubstatus,
                                                 LPWSTR* ppszOptionalStatusText,
                                                 CREDENTIAL_PROVIDER_STATUS_ICON* pcpsiOptionalStatusIcon) = 0;
};

// {FD672C54-40EA-4D6E-9B49-CFB1A7507BD7} — Windows 8+; Windows 7 only asks for the V1 interface.
struct ICredentialProviderCredential2
    : public ICredentialProviderCredential {
  virtual HRESULT STDMETHODCALLTYPE GetUserSid(LPWSTR* sid) = 0;
};

// {FA6FA76B-66B7-4B11-95F1-86171118E816}
struct ICredentialProviderCredentialEvents : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE SetFieldState(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                  CREDENTIAL_PROVIDER_FIELD_STATE cpfs) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldInteractiveState(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                             CREDENTIAL_PROVIDER_FIELD_INTERACTIVE_STATE cpfis) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldString(ICredentialProviderCredential* pcpc, DWORD dwFieldID, LPCWSTR psz) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldCheckbox(ICredentialProviderCredential* pcpc, DWORD dwFieldID, BOOL bChecked,
                                                     LPCWSTR pszLabel) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldBitmap(ICredentialProviderCredential* pcpc, DWORD dwFieldID, HBITMAP hbmp) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldComboBoxSelectedItem(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                                 DWORD dwSelectedItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE DeleteFieldComboBoxItem(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                            DWORD dwItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE AppendFieldComboBoxItem(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                            LPCWSTR pszItem) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetFieldSubmitButton(ICredentialProviderCredential* pcpc, DWORD dwFieldID,
                                                         DWORD dwAdjacentTo) = 0;
  virtual HRESULT STDMETHODCALLTYPE OnCreatingWindow(HWND* phwndOwner) = 0;
};

// {34201E5A-A787-41A3-A5A4-BD6DCF2A854E}
struct ICredentialProviderEvents : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE CredentialsChanged(UINT_PTR upAdviseContext) = 0;
};

// {D27C3481-5A1C-45B2-8AAA-C20EBBE8229E}
struct ICredentialProvider : public IUnknown {
  virtual HRESULT STDMETHODCALLTYPE SetUsageScenario(CREDENTIAL_PROVIDER_USAGE_SCENARIO cpus, DWORD dwFlags) = 0;
  virtual HRESULT STDMETHODCALLTYPE SetSerialization(const CREDENTIAL_PROVIDER_CREDENTIAL_SERIALIZATION* pcpcs) = 0;
  virtual HRESULT STDMETHODCALLTYPE Advise(ICredentialProviderEvents* pcpe, UINT_PTR upAdviseContext) = 0;
  virtual HRESULT STDMETHODCALLTYPE UnAdvise() = 0;
  virtual HRESULT STDMETHODCALLTYPE GetFieldDescriptorCount(DWORD* pdwCount) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetFieldDescriptorAt(DWORD dwIndex, CREDENTIAL_PROVIDER_FIELD_DESCRIPTOR** ppcpfd) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetCredentialCount(DWORD* pdwCount, DWORD* pdwDefault, BOOL* pbAutoLogonWithDefault) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetCredentialAt(DWORD dwIndex, ICredentialProviderCredential** ppcpc) = 0;
};

// The IIDs as plain constants (defined once in credprov_iids.cpp) so code can compare without __uuidof quirks.
extern const IID IID_SsprICredentialProvider;
extern const IID IID_SsprICredentialProviderCredential;
extern const IID IID_SsprICredentialProviderCredential2;
extern const IID IID_SsprICredentialProviderEvents;
extern const IID IID_SsprICredentialProviderCredentialEvents;

#endif  // __cplusplus
