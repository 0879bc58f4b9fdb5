// Which language the tile speaks (src/shim/core/tile_text.h): Locale from Group Policy, then from the MSI,
// then the Windows display language, as the overlay decides its own.
#pragma once

#include <string>

namespace sspr {

std::wstring TileLanguage();

}  // namespace sspr
