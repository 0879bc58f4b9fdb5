// Integer-to-text helpers for the DLL. The C++ runtime's formatters (snprintf, swprintf, std::to_string) pull
// mingw's whole printf engine, about 35 KB, into a DLL that LogonUI loads; these cover the few fixed shapes
// the shim writes (decimal, zero-padded decimal, hex).
#pragma once

#include <string>

namespace sspr {

// Digits of `value` in `base` (lower-case), left-padded with '0' to at least `width`.
template <typename Char>
std::basic_string<Char> FormatUnsigned(unsigned long long value, unsigned base = 10, std::size_t width = 0, bool upper = false) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::basic_string<Char> out;
  do {
    out.insert(out.begin(), static_cast<Char>(digits[value % base]));
    value /= base;
  } while (value != 0);
  if (out.size() < width) out.insert(out.begin(), width - out.size(), static_cast<Char>('0'));
  return out;
}

inline std::string Decimal(unsigned long long value, std::size_t width = 0) { return FormatUnsigned<char>(value, 10, width); }
inline std::wstring DecimalW(unsigned long long value, std::size_t width = 0) { return FormatUnsigned<wchar_t>(value, 10, width); }
inline std::string Hex(unsigned long long value, std::size_t width = 0, bool upper = false) { return FormatUnsigned<char>(value, 16, width, upper); }
inline std::wstring HexW(unsigned long long value, std::size_t width = 0, bool upper = false) { return FormatUnsigned<wchar_t>(value, 16, width, upper); }

}  // namespace sspr
