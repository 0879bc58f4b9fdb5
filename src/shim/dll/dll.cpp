// DLL entry points and the class factory. LogonUI loads the DLL in-process (ThreadingModel Apartment) and
// asks DllGetClassObject for our CLSID only.
#include <windows.h>

#include <cstdlib>
#include <new>

#include "provider.h"
#include "settings.h"

// libstdc++'s default terminate handler prints a demangled type name to stderr, which LogonUI never shows;
// defining it here keeps its demangler (about 45 KB) out of the DLL. Terminating stays what it was: abort.
namespace __gnu_cxx {
void __verbose_terminate_handler() { std::abort(); }
}  // namespace __gnu_cxx

// The string and container code of libstdc++ reports misuse through these helpers; the library's own versions
// build std::logic_error and friends on its copy-on-write std::string, about 35 KB more in the DLL. Every COM
// entry point catches any exception and answers with an HRESULT (provider.cpp, Guard), so the type thrown
// does not matter to anyone: each throws std::bad_alloc.
namespace std {
[[noreturn]] void __throw_bad_alloc() { throw bad_alloc(); }
[[noreturn]] void __throw_bad_array_new_length() { throw bad_alloc(); }
[[noreturn]] void __throw_length_error(const char*) { throw bad_alloc(); }
[[noreturn]] void __throw_logic_error(const char*) { throw bad_alloc(); }
[[noreturn]] void __throw_out_of_range(const char*) { throw bad_alloc(); }
[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) { throw bad_alloc(); }
[[noreturn]] void __throw_invalid_argument(const char*) { throw bad_alloc(); }
}  // namespace std

namespace {

HMODULE g_module = nullptr;
LONG g_dllRefs = 0;

// {63161C4D-E4A4-40D6-98FB-E6F4AD6BA5CB} — our own CLSID, never Microsoft's SsprWindowsLogon one.
const CLSID kProviderClsid = {0x63161c4d, 0xe4a4, 0x40d6, {0x98, 0xfb, 0xe6, 0xf4, 0xad, 0x6b, 0xa5, 0xcb}};

class ClassFactory final : public IClassFactory {
 public:
  ClassFactory() { sspr::DllAddRef(); }

  IFACEMETHODIMP QueryInterface(REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    *ppv = nullptr;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IClassFactory)) {
      *ppv = static_cast<IClassFactory*>(this);
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
  IFACEMETHODIMP CreateInstance(IUnknown* outer, REFIID riid, void** ppv) override {
    if (ppv == nullptr) return E_POINTER;
    *ppv = nullptr;
    if (outer != nullptr) return CLASS_E_NOAGGREGATION;
    return sspr::CreateProvider(riid, ppv);
  }
  IFACEMETHODIMP LockServer(BOOL lock) override {
    if (lock) {
      sspr::DllAddRef();
    } else {
      sspr::DllRelease();
    }
    return S_OK;
  }

 private:
  ~ClassFactory() { sspr::DllRelease(); }
  LONG refs_ = 1;
};

}  // namespace

namespace sspr {
void DllAddRef() { InterlockedIncrement(&g_dllRefs); }
void DllRelease() { InterlockedDecrement(&g_dllRefs); }
HMODULE ThisModule() { return g_module; }
}  // namespace sspr

extern "C" BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID) {
  if (reason == DLL_PROCESS_ATTACH) {
    g_module = instance;
    DisableThreadLibraryCalls(instance);
  }
  return TRUE;
}

extern "C" HRESULT __stdcall DllCanUnloadNow() { return g_dllRefs > 0 ? S_FALSE : S_OK; }

extern "C" HRESULT __stdcall DllGetClassObject(REFCLSID clsid, REFIID riid, void** ppv) {
  if (ppv == nullptr) return E_POINTER;
  *ppv = nullptr;
  if (!IsEqualCLSID(clsid, kProviderClsid)) return CLASS_E_CLASSNOTAVAILABLE;
  auto* factory = new (std::nothrow) ClassFactory();
  if (factory == nullptr) return E_OUTOFMEMORY;
  const HRESULT hr = factory->QueryInterface(riid, ppv);
  factory->Release();
  return hr;
}
