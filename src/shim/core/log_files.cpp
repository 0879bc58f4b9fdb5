#include "log_files.h"

#include <algorithm>
#include <cstdio>
#include "text_format.h"

namespace sspr {

const char* const kActiveLogName = "sspr-logon.jsonl";
const char* const kSaltFileName = "sspr-logon.salt";

namespace {

const std::string kPrefix = "sspr-logon.";
const std::string kSuffix = ".jsonl";
constexpr std::int64_t kDaySeconds = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's civil calendar algorithms);
// no time zone or C library time functions, so Linux and Windows compute the same names.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(const std::string& s, std::size_t from, std::size_t count, unsigned* out) {
  unsigned value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  *out = value;
  return true;
}

void SkipSpace(const std::string& s, std::size_t* i) {
  while (*i < s.size() && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\r' || s[*i] == '\n')) ++*i;
}

// Reads a JSON string starting at s[*i] == '"'; handles escapes well enough to compare keys.
bool ReadString(const std::string& s, std::size_t* i, std::string* out) {
  if (*i >= s.size() || s[*i] != '"') return false;
  ++*i;
  out->clear();
  while (*i < s.size()) {
    const char c = s[*i];
    if (c == '"') {
      ++*i;
      return true;
    }
    if (c == '\\') {
      if (*i + 1 >= s.size()) return false;
      out->push_back('\\');
      out->push_back(s[*i + 1]);
      *i += 2;
      continue;
    }
    out->push_back(c);
    ++*i;
  }
  return false;
}

// Skips one JSON value of any type (strings, nested objects/arrays, literals, numbers).
bool SkipValue(const std::string& s, std::size_t* i) {
  SkipSpace(s, i);
  if (*i >= s.size()) return false;
  if (s[*i] == '"') {
    std::string ignored;
    return ReadString(s, i, &ignored);
  }
  if (s[*i] == '{' || s[*i] == '[') {
    int depth = 0;
    while (*i < s.size()) {
      const char c = s[*i];
      if (c == '"') {
        std::string ignored;
        if (!ReadString(s, i, &ignored)) return false;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      ++*i;
      if (depth == 0) return true;
    }
    return false;
  }
  while (*i < s.size() && s[*i] != ',' && s[*i] != '}' && s[*i] != ']') ++*i;
  return true;
}

}  // namespace

void ApplyLogSetting(LogFileSettings* settings, const std::string& name, const std::optional<std::uint32_t>& value) {
  if (!value) return;
  if (name == "LogRetentionDays" && *value >= 1 && *value <= 365) settings->retentionDays = *value;
  if (name == "LogMaxSizeMB" && *value >= 1 && *value <= 1024) settings->maxSizeMB = *value;
}

std::optional<std::uint32_t> JsonTopLevelUint(const std::string& json, const std::string& key) {
  std::size_t i = 0;
  // config.json may start with a byte-order mark (Notepad writes one).
  if (json.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  SkipSpace(json, &i);
  if (i >= json.size() || json[i] != '{') return std::nullopt;
  ++i;
  std::optional<std::uint32_t> found;
  for (;;) {
    SkipSpace(json, &i);
    if (i < json.size() && json[i] == '}') return found;
    std::string name;
    if (!ReadString(json, &i, &name)) return std::nullopt;
    SkipSpace(json, &i);
    if (i >= json.size() || json[i] != ':') return std::nullopt;
    ++i;
    SkipSpace(json, &i);
    if (name == key) {
      // Like JSON.parse, the last duplicate wins; anything but a plain integer is "not a number here".
      std::size_t j = i;
      std::uint64_t value = 0;
      while (j < json.size() && json[j] >= '0' && json[j] <= '9' && value <= 0xFFFFFFFFull) {
        value = value * 10 + static_cast<unsigned>(json[j] - '0');
        ++j;
      }
      std::size_t end = j;
      SkipSpace(json, &end);
      const bool integer = j > i && value <= 0xFFFFFFFFull && end < json.size() && (json[end] == ',' || json[end] == '}');
      found = integer ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(value)) : std::nullopt;
    }
    if (!SkipValue(json, &i)) return std::nullopt;
    SkipSpace(json, &i);
    if (i < json.size() && json[i] == ',') {
      ++i;
      continue;
    }
    if (i < json.size() && json[i] == '}') return found;
    return std::nullopt;
  }
}

std::uint64_t LogMaxTotalBytes(const LogFileSettings& settings) {
  return static_cast<std::uint64_t>(settings.maxSizeMB) * 1024 * 1024;
}

std::uint64_t LogRotateAtBytes(const LogFileSettings& settings) {
  return std::max<std::uint64_t>(LogMaxTotalBytes(settings) / 5, 64 * 1024);
}

std::string RotatedLogName(std::int64_t unixSeconds) {
  const std::int64_t days = unixSeconds >= 0 ? unixSeconds / kDaySeconds : (unixSeconds - kDaySeconds + 1) / kDaySeconds;
  const std::int64_t rest = unixSeconds - days * kDaySeconds;
  std::int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  return "sspr-logon." + Decimal(static_cast<unsigned long long>(y), 4) + Decimal(m, 2) + Decimal(d, 2) + "T" +
         Decimal(static_cast<unsigned long long>(rest / 3600), 2) + Decimal(static_cast<unsigned long long>(rest % 3600 / 60), 2) +
         Decimal(static_cast<unsigned long long>(rest % 60), 2) + "Z.jsonl";
}

std::optional<std::int64_t> RotatedLogTime(const std::string& name) {
  // sspr-logon.YYYYMMDDTHHMMSSZ.jsonl
  if (name.size() != kPrefix.size() + 16 + kSuffix.size()) return std::nullopt;
  if (name.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  if (name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) return std::nullopt;
  const std::size_t p = kPrefix.size();
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(name, p, 4, &y) || !Digits(name, p + 4, 2, &mo) || !Digits(name, p + 6, 2, &d) || name[p + 8] != 'T' ||
      !Digits(name, p + 9, 2, &h) || !Digits(name, p + 11, 2, &mi) || !Digits(name, p + 13, 2, &s) ||
      name[p + 15] != 'Z') {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return std::nullopt;
  return DaysFromCivil(y, mo, d) * kDaySeconds + h * 3600 + mi * 60 + s;
}

bool IsOwnLogFile(const std::string& name) { return name == kActiveLogName || RotatedLogTime(name).has_value(); }

std::string NextRotatedLogName(std::int64_t unixSeconds, const std::vector<std::string>& existing) {
  std::int64_t t = unixSeconds;
  for (const auto& name : existing) {
    const auto time = RotatedLogTime(name);
    if (time && *time >= t) t = *time + 1;
  }
  return RotatedLogName(t);
}

std::vector<std::string> PlanLogDeletions(const std::vector<LogFileInfo>& files, std::int64_t nowUnixSeconds,
                                          const LogFileSettings& settings) {
  struct Rotated {
    std::string name;
    std::int64_t time;
    std::uint64_t size;
  };
  std::vector<Rotated> rotated;
  // The active file counts with the room it may still grow into before the next rotation, so the total
  // stays under the cap between rotations too.
  std::uint64_t total = LogRotateAtBytes(settings);
  for (const auto& f : files) {
    if (f.name == kActiveLogName) {
      total = std::max(total, f.size);
    } else if (const auto time = RotatedLogTime(f.name)) {
      rotated.push_back({f.name, *time, f.size});
    }
  }
  // Name order is time order.
  std::sort(rotated.begin(), rotated.end(), [](const Rotated& a, const Rotated& b) { return a.name < b.name; });
  std::vector<std::string> deletions;
  const std::int64_t oldestKept = nowUnixSeconds - static_cast<std::int64_t>(settings.retentionDays) * kDaySeconds;
  std::vector<Rotated> kept;
  for (const auto& r : rotated) {
    if (r.time < oldestKept) {
      deletions.push_back(r.name);
    } else {
      kept.push_back(r);
      total += r.size;
    }
  }
  const std::uint64_t cap = LogMaxTotalBytes(settings);
  for (const auto& r : kept) {
    if (total <= cap) break;
    deletions.push_back(r.name);
    total -= r.size;
  }
  return deletions;
}

}  // namespace sspr
