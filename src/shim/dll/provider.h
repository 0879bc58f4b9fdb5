// The COM objects LogonUI talks to: the provider (ICredentialProvider) and its single "Forgot password?"
// credential tile (ICredentialProviderCredential2).
#pragma once

#include <windows.h>

#include "../include/credprov_min.h"

namespace sspr {

void DllAddRef();
void DllRelease();

HRESULT CreateProvider(REFIID riid, void** ppv);

}  // namespace sspr
