#include "policy.h"

#include <cstdio>
#include <cwchar>
#include <cwctype>
#include "text_format.h"

namespace sspr {

const wchar_t* const kDefaultLinkText = L"Forgot password?";
const wchar_t* const kOverlayExeName = L"SsprLogon.exe";

namespace {

const wchar_t* const kUnavailable = L"Password reset is not available right now.";

bool IsControl(wchar_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

// Characters that change how the surrounding text reads: line/paragraph separators, bidi embeddings,
// overrides and isolates, zero-width joiners, BOM.
bool IsFormatOrBidi(wchar_t c) {
  return c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         (c >= 0x200b && c <= 0x200f) || c == 0xfeff || c == 0x061c;
}

bool IsAsciiLetter(wchar_t c) { return (c >= L'a' && c <= L'z') || (c >= L'A' && c <= L'Z'); }
bool IsAsciiDigit(wchar_t c) { return c >= L'0' && c <= L'9'; }

}  // namespace

std::wstring QuoteArgument(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring out = L"\"";
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"') {
      // Backslashes before a quote are doubled, and the quote itself is escaped.
      out.append(backslashes * 2 + 1, L'\\');
    } else {
      out.append(backslashes, L'\\');
    }
    backslashes = 0;
    out.push_back(c);
  }
  // Backslashes before the closing quote are doubled so they do not escape it.
  out.append(backslashes * 2, L'\\');
  out.push_back(L'"');
  return out;
}

bool IsSafeLanguageTag(const std::wstring& tag) {
  if (tag.size() < 2 || tag.size() > 35 || !IsAsciiLetter(tag[0])) return false;
  wchar_t previous = 0;
  for (wchar_t c : tag) {
    if (!(IsAsciiLetter(c) || IsAsciiDigit(c) || c == L'-')) return false;
    if (c == L'-' && previous == L'-') return false;
    previous = c;
  }
  return tag.back() != L'-';
}

std::wstring SanitizeTileUser(const std::wstring& user) {
  std::wstring out;
  for (wchar_t c : user) {
    if (IsControl(c) || IsFormatOrBidi(c)) continue;
    if (out.size() >= kMaxTileUserChars) break;
    out.push_back(c);
  }
  // Outer spaces carry no meaning on a tile and only confuse the overlay's prefill.
  const auto first = out.find_first_not_of(L' ');
  if (first == std::wstring::npos) return std::wstring();
  const auto last = out.find_last_not_of(L' ');
  return out.substr(first, last - first + 1);
}

std::wstring BuildOverlayCommandLine(const std::wstring& exePath, Scenario scenario, const std::wstring& user,
                                     const std::wstring& lang, const LaunchExtras& extras) {
  // The program path is always quoted: an unquoted path with spaces is the classic hijack.
  std::wstring cmd = L"\"" + exePath + L"\"";
  cmd += scenario == Scenario::Logon ? L" --scenario=logon" : L" --scenario=unlock";
  const std::wstring cleanUser = SanitizeTileUser(user);
  if (!cleanUser.empty()) cmd += L" " + QuoteArgument(L"--user=" + cleanUser);
  if (IsSafeLanguageTag(lang)) cmd += L" --lang=" + lang;
  if (extras.sessionLimitSeconds > 0) cmd += L" --session-limit=" + DecimalW(extras.sessionLimitSeconds);
  return cmd;
}

bool IsAcceptableInstallDir(const std::wstring& dir) {
  if (dir.size() < 3 || dir.size() > 240) return false;
  if (!IsAsciiLetter(dir[0]) || dir[1] != L':' || dir[2] != L'\\') return false;
  for (wchar_t c : dir) {
    if (IsControl(c) || c == L'"' || c == L'/' || c == L'*' || c == L'?' || c == L'<' || c == L'>' || c == L'|')
      return false;
  }
  if (dir.find(L':', 2) != std::wstring::npos) return false;  // alternate data streams
  // No ".." segment: the install folder must be exactly where the admin put it.
  std::size_t start = 3;
  while (start <= dir.size()) {
    std::size_t end = dir.find(L'\\', start);
    if (end == std::wstring::npos) end = dir.size();
    const std::wstring segment = dir.substr(start, end - start);
    if (segment == L".." || segment == L".") return false;
    start = end + 1;
  }
  return true;
}

std::wstring JoinPath(const std::wstring& dir, const std::wstring& file) {
  if (!dir.empty() && dir.back() == L'\\') return dir + file;
  return dir + L"\\" + file;
}

std::wstring DirectoryOf(const std::wstring& path) {
  const auto slash = path.find_last_of(L"\\/");
  if (slash == std::wstring::npos) return std::wstring();
  if (slash == 2 && path.size() > 1 && path[1] == L':') return path.substr(0, 3);
  return path.substr(0, slash);
}

bool IsRunFolderName(const std::wstring& name) {
  if (name.size() != 20 || name.compare(0, 4, L"run-") != 0) return false;
  for (std::size_t i = 4; i < name.size(); ++i) {
    const wchar_t c = name[i];
    if (!((c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f'))) return false;
  }
  return true;
}

bool ResolveUseOverlayAccount(const std::optional<std::uint32_t>& policy, const std::optional<std::uint32_t>& setting) {
  if (policy) return *policy != 0;
  if (setting) return *setting != 0;
  return true;
}

bool IsUsableLinkText(const std::wstring& text) {
  if (text.empty() || text.size() > kMaxLinkTextChars) return false;
  bool hasVisible = false;
  for (wchar_t c : text) {
    if (IsControl(c) || IsFormatOrBidi(c)) return false;
    if (c != L' ') hasVisible = true;
  }
  return hasVisible;
}

std::wstring ResolveLinkText(const std::optional<std::wstring>& policy, const std::optional<std::wstring>& setting) {
  if (policy && IsUsableLinkText(*policy)) return *policy;
  if (setting && IsUsableLinkText(*setting)) return *setting;
  return kDefaultLinkText;
}

std::uint32_t ResolveWatchdogSeconds(const std::optional<std::uint32_t>& configured) {
  if (!configured) return kDefaultWatchdogSeconds;
  if (*configured < kMinWatchdogSeconds || *configured > kMaxWatchdogSeconds) return kDefaultWatchdogSeconds;
  return *configured;
}

std::uint32_t SessionLimitSeconds(std::uint32_t watchdogSeconds) {
  std::uint32_t margin =
      watchdogSeconds >= 4 * kSessionLimitMarginSeconds ? kSessionLimitMarginSeconds : watchdogSeconds / 4;
  if (margin < 1) margin = 1;
  const std::uint32_t limit = watchdogSeconds > margin ? watchdogSeconds - margin : 0;
  return limit < 1 ? 1 : limit;
}

bool IsUiReadyLine(const std::string& raw) {
  std::size_t begin = 0;
  std::size_t end = raw.size();
  while (begin < end && (raw[begin] == ' ' || raw[begin] == '\t')) ++begin;
  while (end > begin && (raw[end - 1] == ' ' || raw[end - 1] == '\t' || raw[end - 1] == '\r')) --end;
  if (end - begin < 2 || raw[begin] != '{' || raw[end - 1] != '}') return false;
  // Walk the object at depth 1 only: a member nested in another object, or text inside a string value
  // (a page's console message quoted in a log record), must never count as the signal.
  const std::string key = "\"event\"";
  const std::string value = "\"ui.ready\"";
  int depth = 0;
  bool inString = false;
  bool expectKey = false;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = raw[i];
    if (inString) {
      if (c == '\\') ++i;
      else if (c == '"') inString = false;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
      expectKey = (c == '{' && depth == 1);
      continue;
    }
    if (c == '}' || c == ']') {
      --depth;
      continue;
    }
    if (depth == 1 && c == ',') {
      expectKey = true;
      continue;
    }
    if (c == '"') {
      if (depth == 1 && expectKey && raw.compare(i, key.size(), key) == 0) {
        std::size_t j = i + key.size();
        while (j < end && (raw[j] == ' ' || raw[j] == '\t')) ++j;
        if (j < end && raw[j] == ':') {
          ++j;
          while (j < end && (raw[j] == ' ' || raw[j] == '\t')) ++j;
          if (raw.compare(j, value.size(), value) == 0) return true;
        }
      }
      expectKey = false;
      inString = true;
    }
  }
  return false;
}

bool IsAcceptablePayloadName(const std::wstring& name) {
  if (name.empty() || name.size() > 200 || name[0] == L'\\') return false;
  for (wchar_t c : name) {
    if (IsControl(c) || IsFormatOrBidi(c) || c == L'/' || c == L':' || c == L'*' || c == L'?' || c == L'"' ||
        c == L'<' || c == L'>' || c == L'|')
      return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find(L'\\', start);
    if (end == std::wstring::npos) end = name.size();
    const std::wstring segment = name.substr(start, end - start);
    if (segment.empty() || segment == L"." || segment == L".." || segment.back() == L'.' || segment.back() == L' ')
      return false;
    start = end + 1;
  }
  return true;
}

bool ParseSha256Hex(const std::wstring& hex, unsigned char out[32]) {
  if (hex.size() != 64) return false;
  auto nibble = [](wchar_t c) -> int {
    if (c >= L'0' && c <= L'9') return c - L'0';
    if (c >= L'a' && c <= L'f') return c - L'a' + 10;
    if (c >= L'A' && c <= L'F') return c - L'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int high = nibble(hex[2 * i]);
    const int low = nibble(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<unsigned char>(high * 16 + low);
  }
  return true;
}

bool MustBeInPayloadReference(const std::wstring& fileName) {
  if (fileName.size() < 4) return false;
  std::wstring ext = fileName.substr(fileName.size() - 4);
  for (auto& c : ext) c = static_cast<wchar_t>(std::towlower(c));
  return ext == L".exe" || ext == L".dll";
}

std::wstring MakeAccountPassword(const unsigned char* random, std::size_t count) {
  static const wchar_t* const kClasses[4] = {L"ABCDEFGHJKLMNPQRSTUVWXYZ", L"abcdefghijkmnopqrstuvwxyz", L"23456789",
                                             L"!#$%*+-=?@^_~"};
  if (random == nullptr || count < kAccountPasswordRandomBytes) return std::wstring();
  std::wstring out;
  for (std::size_t i = 0; i < kAccountPasswordChars; ++i) {
    // The first four characters take one class each; the rest any class. Modulo bias over alphabets of
    // 8 to 25 characters drawn from 256 values is irrelevant for a 32-character password.
    const wchar_t* alphabet = kClasses[i < 4 ? i : random[2 * i] % 4];
    const std::size_t size = std::wcslen(alphabet);
    out.push_back(alphabet[random[2 * i + 1] % size]);
  }
  return out;
}

bool IsCrashExitCode(std::uint32_t exitCode) { return exitCode == 3 || exitCode >= 0xC0000000u; }

namespace {
Outcome ClassifyEndBeforeReadiness(EndKind kind, std::uint32_t exitCode);
}  // namespace

Outcome ClassifyEnd(EndKind kind, std::uint32_t exitCode, bool uiReady) {
  Outcome outcome = ClassifyEndBeforeReadiness(kind, exitCode);
  if (uiReady && kind != EndKind::LaunchFailed && outcome.effect == FailureEffect::Count) {
    outcome.effect = FailureEffect::None;
  }
  return outcome;
}

namespace {
Outcome ClassifyEndBeforeReadiness(EndKind kind, std::uint32_t exitCode) {
  switch (kind) {
    case EndKind::WatchdogKilled:
      return {EventId::WatchdogKilled, EventLevel::Error, false, FailureEffect::Count, TileIcon::Error, kUnavailable,
              L"The password reset overlay did not finish before the watchdog deadline and was stopped."};
    case EndKind::LaunchFailed:
      return {EventId::LaunchFailed, EventLevel::Error, false, FailureEffect::Count, TileIcon::Error, kUnavailable,
              L"The password reset overlay could not be started."};
    case EndKind::StoppedWithProvider:
      return {EventId::StoppedWithProvider, EventLevel::Info, true, FailureEffect::None, TileIcon::None, L"",
              L"The password reset overlay was stopped because the sign-in screen closed."};
    case EndKind::AccountUnavailable:
      // The account can fail on every PC at once (a GPO, password policy, LAPS): never a reason to switch off.
      return {EventId::AccountUnavailable, EventLevel::Error, false, FailureEffect::None, TileIcon::Error,
              kUnavailable, L"The password reset overlay was not started: its local account is not usable."};
    case EndKind::Exited:
      break;
  }
  switch (exitCode) {
    case 0:
      return {EventId::ResetDone, EventLevel::Info, false, FailureEffect::Reset, TileIcon::Success,
              L"Your password was changed. Sign in with your new password.",
              L"The password reset overlay reported a completed password reset (exit code 0)."};
    case 10:
      return {EventId::Cancelled, EventLevel::Info, true, FailureEffect::Reset, TileIcon::None, L"",
              L"The user cancelled the password reset (exit code 10)."};
    case 11:
      return {EventId::IdleTimeout, EventLevel::Info, true, FailureEffect::Reset, TileIcon::None, L"",
              L"The password reset overlay closed after the idle timeout (exit code 11)."};
    case 12:
      // Neither counted nor a reset: the overlay worked, but nobody finished anything either.
      return {EventId::SessionLimit, EventLevel::Warning, false, FailureEffect::None, TileIcon::Warning,
              L"Password reset was open too long and was closed. Start it again if you still need it.",
              L"The password reset overlay closed at its hard session limit (exit code 12)."};
    case 20:
      return {EventId::NotEnabled, EventLevel::Warning, false, FailureEffect::Reset, TileIcon::Warning,
              L"Password reset is not set up for this account. Contact your helpdesk.",
              L"The account is not enabled or not registered for password reset (exit code 20)."};
    case 30:
      return {EventId::ServiceUnreachable, EventLevel::Warning, false, FailureEffect::Reset, TileIcon::Warning,
              L"The password reset service cannot be reached. Check the network or contact your helpdesk.",
              L"The password reset service was unreachable (exit code 30)."};
    case 40:
      return {EventId::Throttled, EventLevel::Warning, false, FailureEffect::Reset, TileIcon::Warning,
              L"Too many attempts. Try again later or contact your helpdesk.",
              L"The password reset was throttled or blocked (exit code 40)."};
    case 1:
      return {EventId::InternalError, EventLevel::Error, false, FailureEffect::Count, TileIcon::Error, kUnavailable,
              L"The password reset overlay reported an internal error (exit code 1)."};
    default:
      break;
  }
  if (IsCrashExitCode(exitCode)) {
    return {EventId::Crashed, EventLevel::Error, false, FailureEffect::Count, TileIcon::Error, kUnavailable,
            L"The password reset overlay crashed."};
  }
  return {EventId::UnexpectedExitCode, EventLevel::Error, false, FailureEffect::Count, TileIcon::Error, kUnavailable,
          L"The password reset overlay exited with an unexpected exit code."};
}
}  // namespace

FailureState NextFailureState(const FailureState& current, FailureEffect effect, std::uint32_t threshold) {
  FailureState next = current;
  switch (effect) {
    case FailureEffect::None:
      break;
    case FailureEffect::Reset:
      next.consecutiveFailures = 0;
      next.disabled = false;
      break;
    case FailureEffect::Count:
      if (next.consecutiveFailures < 0xffffffffu) ++next.consecutiveFailures;
      if (next.consecutiveFailures >= threshold) next.disabled = true;
      break;
  }
  return next;
}

std::wstring EscapeForLog(const std::wstring& text, std::size_t maxChars) {
  std::wstring out;
  for (wchar_t c : text) {
    if (out.size() >= maxChars) {
      out += L"...";
      break;
    }
    if (IsControl(c) || IsFormatOrBidi(c) || c == L'%') {
      out += L"\\u" + HexW(static_cast<unsigned>(c) & 0xffffu, 4);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ToUtf8(const std::wstring& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::uint32_t cp = static_cast<std::uint32_t>(text[i]);
    if (sizeof(wchar_t) == 2 && cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.size()) {
      const std::uint32_t low = static_cast<std::uint32_t>(text[i + 1]);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        ++i;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp > 0x10ffff) cp = 0xfffd;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }
  return out;
}

const char* LevelName(EventLevel level) {
  switch (level) {
    case EventLevel::Info:
      return "info";
    case EventLevel::Warning:
      return "warning";
    case EventLevel::Error:
      return "error";
  }
  return "error";
}

namespace {
std::string JsonString(const std::string& utf8) {
  std::string out = "\"";
  for (unsigned char c : utf8) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out += "\\u" + Hex(static_cast<unsigned>(c), 4);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}
}  // namespace

std::string FormatDebugRecord(const std::string& isoTime, EventId id, EventLevel level, bool verboseOnly,
                              const std::wstring& message) {
  std::string line = "{\"time\":" + JsonString(isoTime) + ",\"source\":\"SsprLogon\",\"id\":" +
                     Decimal(static_cast<unsigned>(id)) + ",\"level\":\"" + LevelName(level) +
                     "\",\"verbose\":" + (verboseOnly ? "true" : "false") +
                     ",\"message\":" + JsonString(ToUtf8(EscapeForLog(message))) + "}";
  return line;
}

std::string SanitizeOverlayLogLine(const std::string& raw, const std::string& isoTime, std::size_t maxBytes) {
  std::string line = raw;
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  line.erase(0, first);
  if (line.empty()) return std::string();

  const bool tooLong = line.size() > maxBytes;
  bool clean = !tooLong && line.front() == '{' && line.back() == '}';
  for (unsigned char c : line) {
    if (c < 0x20 || c == 0x7f) {
      clean = false;
      break;
    }
  }
  if (clean) return line;
  if (tooLong) {
    line.resize(maxBytes);
    // Do not end in the middle of a UTF-8 sequence.
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xc0) == 0x80) line.pop_back();
    if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xc0) line.pop_back();
  }
  // In the record schema every reader expects (time, level, event), so `logs` shows the wrapped line too.
  return "{\"time\":" + JsonString(isoTime) + ",\"level\":\"warn\",\"event\":\"overlay." +
         (tooLong ? "truncated_line" : "invalid_line") + "\",\"source\":\"overlay\",\"" + (tooLong ? "truncated" : "invalid") +
         "\":true,\"line\":" + JsonString(line) + "}";
}

}  // namespace sspr
