// The tile's own texts (link, title, status lines) in the overlay's languages. Pure: no Windows calls, so
// the native core test covers it. The language follows the overlay's rule: Locale (policy, then MSI) when
// set, else the Windows display language, else English; a regional tag uses its base language.
#pragma once

#include <string>

namespace sspr {

enum class TileText { Link, Title, Running, Unavailable, Changed, NotSetUp, Unreachable, Throttled };

// The first non-empty of policy Locale, MSI Locale and the Windows display language.
std::wstring PickTileLanguage(const std::wstring& policyLocale, const std::wstring& msiLocale, const std::wstring& uiLanguage);

// One of our catalogue codes for a BCP 47 tag ("de-AT" -> "de", "zh-TW" -> "zh-Hant", "pt" -> "pt-BR"); "en" when unknown.
std::wstring TileLanguageCode(const std::wstring& tag);

const wchar_t* TileTextFor(TileText id, const std::wstring& tag);

// The status line ClassifyEnd gives (in English) in the tile's language; other text is returned unchanged.
std::wstring LocalizeTileMessage(const std::wstring& english, const std::wstring& tag);

}  // namespace sspr
