// Native runner of the shim's log-file rules for test/shim/log-contract.test.ts, which feeds the same
// fixture to this program and to the TypeScript logger. Reads commands on stdin, one per line:
//   settings <retentionDays|-> <maxSizeMB|->   reset, then apply (out-of-range values are ignored, as in the shim)
//   json <key> <hex of a config.json text>     apply <key> from that text
//   file <name> <size>                         a file present in the log folder
//   now <unixSeconds>
//   plan        -> "delete <name>" per file, then "end"
//   rotate      -> "rotated <name>" (the next rotated name at `now`, given the files)
//   limits      -> "limits <retentionDays> <maxSizeMB> <rotateAtBytes>"
//   name <file> -> "own 1|0"
#include <cstdint>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../../../src/shim/core/log_files.h"

using namespace sspr;

namespace {
std::optional<std::uint32_t> Number(const std::string& text) {
  if (text == "-" || text.empty()) return std::nullopt;
  return static_cast<std::uint32_t>(std::stoul(text));
}
}  // namespace

int main() {
  LogFileSettings settings;
  std::vector<LogFileInfo> files;
  std::int64_t now = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string command;
    in >> command;
    if (command == "settings") {
      std::string days, mb;
      in >> days >> mb;
      settings = LogFileSettings();
      files.clear();
      ApplyLogSetting(&settings, "LogRetentionDays", Number(days));
      ApplyLogSetting(&settings, "LogMaxSizeMB", Number(mb));
    } else if (command == "json") {
      std::string key;
      in >> key;
      std::string hex;
      in >> hex;
      std::string text;
      for (std::size_t i = 0; i + 1 < hex.size(); i += 2) text.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
      ApplyLogSetting(&settings, key, JsonTopLevelUint(text, key));
    } else if (command == "file") {
      LogFileInfo f;
      in >> f.name >> f.size;
      files.push_back(f);
    } else if (command == "now") {
      long long t = 0;
      in >> t;
      now = t;
    } else if (command == "plan") {
      for (const auto& name : PlanLogDeletions(files, now, settings)) std::cout << "delete " << name << "\n";
      std::cout << "end\n";
    } else if (command == "rotate") {
      std::vector<std::string> names;
      for (const auto& f : files) names.push_back(f.name);
      std::cout << "rotated " << NextRotatedLogName(now, names) << "\n";
    } else if (command == "limits") {
      std::cout << "limits " << settings.retentionDays << " " << settings.maxSizeMB << " " << LogRotateAtBytes(settings)
                << "\n";
    } else if (command == "name") {
      std::string name;
      in >> name;
      std::cout << "own " << (IsOwnLogFile(name) ? 1 : 0) << "\n";
    }
  }
  return 0;
}
