// The log-file contract shared with the TypeScript logger (src/shared/logFiles.ts), as plain C++ so the
// same rules are checked natively on Linux against one fixture (test/shim/log-contract.test.ts):
//   active file   sspr-logon.jsonl
//   rotated files sspr-logon.<UTC yyyyMMddTHHmmssZ>.jsonl  (the time the file was closed, so names sort by time)
//   salt          sspr-logon.salt (hex text)
// LogRetentionDays deletes rotated files whose name time is older than that; LogMaxSizeMB caps the total of
// every sspr-logon*.jsonl file, deleting the oldest rotated files first (the active file counts as at least
// its rotation size, the room it may still grow into). The active file is never deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sspr {

extern const char* const kActiveLogName;  // "sspr-logon.jsonl"
extern const char* const kSaltFileName;   // "sspr-logon.salt"

constexpr std::uint32_t kDefaultLogRetentionDays = 14;  // as src/shared/config.ts
constexpr std::uint32_t kDefaultLogMaxSizeMB = 20;

struct LogFileSettings {
  std::uint32_t retentionDays = kDefaultLogRetentionDays;
  std::uint32_t maxSizeMB = kDefaultLogMaxSizeMB;
};

// Later layers win; a missing or out-of-range value (1..365 days, 1..1024 MB) leaves the lower layer's value.
void ApplyLogSetting(LogFileSettings* settings, const std::string& name, const std::optional<std::uint32_t>& value);

// A top-level non-negative integer of a JSON object (config.json), e.g. {"LogMaxSizeMB": 5}. Nothing for
// a missing key, another type, a nested key or text that is not a JSON object.
std::optional<std::uint32_t> JsonTopLevelUint(const std::string& json, const std::string& key);

std::uint64_t LogMaxTotalBytes(const LogFileSettings& settings);
// The active file is rotated before a write would take it past a fifth of the total cap (at least 64 KiB).
std::uint64_t LogRotateAtBytes(const LogFileSettings& settings);

// sspr-logon.20261129T041500Z.jsonl for that Unix time; nothing if the name is not a rotated log file.
std::string RotatedLogName(std::int64_t unixSeconds);
std::optional<std::int64_t> RotatedLogTime(const std::string& name);
bool IsOwnLogFile(const std::string& name);  // active or rotated

// The name to rotate the active file to: the current second, or one second after the newest rotated file
// when that is not earlier (two rotations in one second, a clock set back), so names stay unique and sort
// in the order the files were written.
std::string NextRotatedLogName(std::int64_t unixSeconds, const std::vector<std::string>& existing);

struct LogFileInfo {
  std::string name;
  std::uint64_t size = 0;
};

// Which rotated files to delete now, oldest first. Files that are not ours are ignored.
std::vector<std::string> PlanLogDeletions(const std::vector<LogFileInfo>& files, std::int64_t nowUnixSeconds,
                                          const LogFileSettings& settings);

}  // namespace sspr
