#include "tile_language.h"

#include <windows.h>

#include "../core/tile_text.h"

namespace sspr {

namespace {

// A BCP 47 tag is short and plain; anything else in the registry is ignored rather than trusted.
std::wstring ReadLocale(const wchar_t* key) {
  wchar_t value[36] = {};
  DWORD bytes = sizeof(value);
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"Locale", RRF_RT_REG_SZ, nullptr, value, &bytes) != ERROR_SUCCESS) {
    return std::wstring();
  }
  const std::wstring tag = value;
  for (wchar_t c : tag) {
    const bool plain = (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z') || (c >= L'0' && c <= L'9') || c == L'-';
    if (!plain) return std::wstring();
  }
  return tag;
}

std::wstring DisplayLanguage() {
  wchar_t name[LOCALE_NAME_MAX_LENGTH] = {};
  const LCID lcid = MAKELCID(GetUserDefaultUILanguage(), SORT_DEFAULT);
  if (LCIDToLocaleName(lcid, name, LOCALE_NAME_MAX_LENGTH, 0) == 0) return std::wstring();
  return name;
}

}  // namespace

std::wstring TileLanguage() {
  return PickTileLanguage(ReadLocale(L"SOFTWARE\\Policies\\SsprLogon"), ReadLocale(L"SOFTWARE\\SsprLogon"), DisplayLanguage());
}

}  // namespace sspr
