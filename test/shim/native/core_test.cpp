// Native (Linux g++) unit tests of the shim's plain C++ rules. Built by scripts/build-shim.sh into
// build/shim/native/core-test and run by test/shim/core.test.ts. Prints one line per failure and
// "ok <count>" at the end; exits non-zero when any check fails.
#include <cstdio>
#include <string>

#include "../../../src/shim/core/policy.h"
#include "../../../src/shim/core/tile_text.h"

using namespace sspr;

static int g_checks = 0;
static int g_failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    ++g_checks;                                                            \
    if (!(cond)) {                                                         \
      ++g_failures;                                                        \
      std::printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);          \
    }                                                                      \
  } while (0)

// Mirror of CommandLineToArgvW's rules for arguments after the program name, to prove QuoteArgument
// round-trips.
static std::wstring ParseOneArgument(const std::wstring& quoted) {
  std::wstring out;
  bool inQuotes = false;
  std::size_t i = 0;
  while (i < quoted.size()) {
    std::size_t backslashes = 0;
    while (i < quoted.size() && quoted[i] == L'\\') {
      ++backslashes;
      ++i;
    }
    if (i < quoted.size() && quoted[i] == L'"') {
      out.append(backslashes / 2, L'\\');
      if (backslashes % 2 == 1) {
        out.push_back(L'"');
      } else {
        inQuotes = !inQuotes;
      }
      ++i;
    } else {
      out.append(backslashes, L'\\');
      if (i < quoted.size()) {
        if (!inQuotes && (quoted[i] == L' ' || quoted[i] == L'\t')) break;
        out.push_back(quoted[i]);
        ++i;
      }
    }
  }
  return out;
}

static void TestQuoting() {
  const std::wstring samples[] = {L"alice", L"Alice Smith", L"a\"b", L"trailing\\", L"C:\\Program Files\\x\\",
                                  L"back\\\\\"slash", L"", L"tab\there", L"--user=O'Brien \"Bob\""};
  for (const auto& s : samples) {
    CHECK(ParseOneArgument(QuoteArgument(s)) == s);
  }
  CHECK(QuoteArgument(L"plain") == L"plain");
  CHECK(QuoteArgument(L"") == L"\"\"");
}

static void TestCommandLine() {
  const std::wstring exe = L"C:\\Program Files\\SSPR Logon\\SsprLogon.exe";
  CHECK(BuildOverlayCommandLine(exe, Scenario::Logon, L"", L"en-US") ==
        L"\"C:\\Program Files\\SSPR Logon\\SsprLogon.exe\" --scenario=logon --lang=en-US");
  CHECK(BuildOverlayCommandLine(exe, Scenario::Unlock, L"CONTOSO\\alice", L"de-DE") ==
        L"\"C:\\Program Files\\SSPR Logon\\SsprLogon.exe\" --scenario=unlock --user=CONTOSO\\alice --lang=de-DE");
  // A name with spaces and quotes stays one argument; an injected switch cannot escape it.
  const std::wstring hostile = L"Bob\" --scenario=logon --inspect=9229 \"";
  const std::wstring cmd = BuildOverlayCommandLine(exe, Scenario::Unlock, hostile, L"");
  const std::wstring afterScenario = cmd.substr(cmd.find(L"--scenario=unlock") + 18);
  CHECK(ParseOneArgument(afterScenario) == L"--user=Bob\" --scenario=logon --inspect=9229 \"");
  // Control and bidi characters are removed; a language tag that is not a tag is dropped.
  CHECK(BuildOverlayCommandLine(exe, Scenario::Logon, L"a\r\nb\x202e", L"en US; calc") ==
        L"\"C:\\Program Files\\SSPR Logon\\SsprLogon.exe\" --scenario=logon --user=ab");
  CHECK(BuildOverlayCommandLine(exe, Scenario::Logon, L"   ", L"") ==
        L"\"C:\\Program Files\\SSPR Logon\\SsprLogon.exe\" --scenario=logon");
  CHECK(SanitizeTileUser(std::wstring(1000, L'x')).size() == kMaxTileUserChars);
}

static void TestLanguageTags() {
  CHECK(IsSafeLanguageTag(L"en"));
  CHECK(IsSafeLanguageTag(L"en-US"));
  CHECK(IsSafeLanguageTag(L"zh-Hant-TW"));
  CHECK(!IsSafeLanguageTag(L""));
  CHECK(!IsSafeLanguageTag(L"e"));
  CHECK(!IsSafeLanguageTag(L"-en"));
  CHECK(!IsSafeLanguageTag(L"en-"));
  CHECK(!IsSafeLanguageTag(L"en--US"));
  CHECK(!IsSafeLanguageTag(L"en_US"));
  CHECK(!IsSafeLanguageTag(L"en\"x"));
  CHECK(!IsSafeLanguageTag(L"1en"));
}

static void TestInstallDir() {
  CHECK(IsAcceptableInstallDir(L"C:\\Program Files\\SSPR Logon"));
  CHECK(IsAcceptableInstallDir(L"Z:\\tmp\\x\\"));
  CHECK(!IsAcceptableInstallDir(L""));
  CHECK(!IsAcceptableInstallDir(L"SSPR Logon"));
  CHECK(!IsAcceptableInstallDir(L"\\\\server\\share\\x"));
  CHECK(!IsAcceptableInstallDir(L"\\\\?\\C:\\x"));
  CHECK(!IsAcceptableInstallDir(L"C:\\x\\..\\Windows"));
  CHECK(!IsAcceptableInstallDir(L"C:\\x\\.\\y"));
  CHECK(!IsAcceptableInstallDir(L"C:/x"));
  CHECK(!IsAcceptableInstallDir(L"C:\\x:stream"));
  CHECK(!IsAcceptableInstallDir(L"C:\\x\"y"));
  CHECK(!IsAcceptableInstallDir(L"C:relative"));
  CHECK(JoinPath(L"C:\\a", L"SsprLogon.exe") == L"C:\\a\\SsprLogon.exe");
  CHECK(JoinPath(L"C:\\a\\", L"SsprLogon.exe") == L"C:\\a\\SsprLogon.exe");
  CHECK(DirectoryOf(L"C:\\a\\b\\SsprLogonCP.dll") == L"C:\\a\\b");
  CHECK(DirectoryOf(L"C:\\SsprLogonCP.dll") == L"C:\\");
  CHECK(DirectoryOf(L"nofolder.dll").empty());
}

static void TestRunFolderNames() {
  CHECK(IsRunFolderName(L"run-0123456789abcdef"));
  CHECK(!IsRunFolderName(L"run-0123456789ABCDEF"));  // the shim writes lower case only
  CHECK(!IsRunFolderName(L"run-0123456789abcde"));
  CHECK(!IsRunFolderName(L"run-0123456789abcdef0"));
  CHECK(!IsRunFolderName(L"Run-0123456789abcdef"));
  CHECK(!IsRunFolderName(L"run-0123456789abcdeg"));
  CHECK(!IsRunFolderName(L"run-01234567\\9abcdef"));
  CHECK(!IsRunFolderName(L"keep-me"));
  CHECK(!IsRunFolderName(L""));
}

static void TestUseOverlayAccount() {
  CHECK(ResolveUseOverlayAccount(std::nullopt, std::nullopt));
  CHECK(!ResolveUseOverlayAccount(std::nullopt, 0u));
  CHECK(ResolveUseOverlayAccount(std::nullopt, 1u));
  // Group Policy wins either way.
  CHECK(ResolveUseOverlayAccount(1u, 0u));
  CHECK(!ResolveUseOverlayAccount(0u, 1u));
  CHECK(!ResolveUseOverlayAccount(0u, std::nullopt));
}

static void TestLinkText() {
  CHECK(ResolveLinkText(std::nullopt, std::nullopt) == L"Forgot password?");
  CHECK(ResolveLinkText(std::nullopt, std::wstring(L"Reset my password")) == L"Reset my password");
  CHECK(ResolveLinkText(std::wstring(L"Passwort vergessen?"), std::wstring(L"Reset")) == L"Passwort vergessen?");
  // An unusable policy value falls back to the next layer, never to an empty link.
  CHECK(ResolveLinkText(std::wstring(L""), std::wstring(L"Reset")) == L"Reset");
  CHECK(ResolveLinkText(std::wstring(L"   "), std::nullopt) == L"Forgot password?");
  CHECK(ResolveLinkText(std::wstring(L"a\nb"), std::nullopt) == L"Forgot password?");
  CHECK(ResolveLinkText(std::wstring(L"\x202e" L"evil"), std::nullopt) == L"Forgot password?");
  CHECK(ResolveLinkText(std::wstring(kMaxLinkTextChars + 1, L'x'), std::nullopt) == L"Forgot password?");
  CHECK(ResolveLinkText(std::wstring(kMaxLinkTextChars, L'x'), std::nullopt) == std::wstring(kMaxLinkTextChars, L'x'));
}

static void TestWatchdog() {
  CHECK(ResolveWatchdogSeconds(std::nullopt) == 900);
  CHECK(ResolveWatchdogSeconds(5u) == 5);
  CHECK(ResolveWatchdogSeconds(0u) == 900);
  CHECK(ResolveWatchdogSeconds(1u) == 900);
  CHECK(ResolveWatchdogSeconds(0xffffffffu) == 900);
  CHECK(ResolveWatchdogSeconds(kMaxWatchdogSeconds) == kMaxWatchdogSeconds);
}

static void TestOutcomes() {
  const auto done = ClassifyEnd(EndKind::Exited, 0);
  CHECK(done.eventId == EventId::ResetDone);
  CHECK(done.tileMessage == L"Your password was changed. Sign in with your new password.");
  CHECK(done.effect == FailureEffect::Reset);
  CHECK(done.icon == TileIcon::Success);
  CHECK(!done.verboseOnly);

  for (std::uint32_t code : {10u, 11u}) {
    const auto o = ClassifyEnd(EndKind::Exited, code);
    CHECK(o.tileMessage.empty());
    CHECK(o.verboseOnly);
    CHECK(o.effect == FailureEffect::Reset);
  }
  CHECK(ClassifyEnd(EndKind::Exited, 10).eventId == EventId::Cancelled);
  CHECK(ClassifyEnd(EndKind::Exited, 11).eventId == EventId::IdleTimeout);
  CHECK(ClassifyEnd(EndKind::Exited, 20).eventId == EventId::NotEnabled);
  CHECK(ClassifyEnd(EndKind::Exited, 30).eventId == EventId::ServiceUnreachable);
  CHECK(ClassifyEnd(EndKind::Exited, 40).eventId == EventId::Throttled);
  for (std::uint32_t code : {20u, 30u, 40u}) {
    const auto o = ClassifyEnd(EndKind::Exited, code);
    CHECK(!o.tileMessage.empty());
    CHECK(o.tileMessage != ClassifyEnd(EndKind::Exited, 1).tileMessage);
    CHECK(o.effect == FailureEffect::Reset);
    CHECK(o.level == EventLevel::Warning);
  }

  const std::wstring unavailable = L"Password reset is not available right now.";
  CHECK(ClassifyEnd(EndKind::Exited, 1).eventId == EventId::InternalError);
  CHECK(ClassifyEnd(EndKind::Exited, 3).eventId == EventId::Crashed);            // abort()
  CHECK(ClassifyEnd(EndKind::Exited, 0xC0000005u).eventId == EventId::Crashed);  // access violation
  CHECK(ClassifyEnd(EndKind::Exited, 0xC0000409u).eventId == EventId::Crashed);  // fail-fast
  CHECK(ClassifyEnd(EndKind::Exited, 7).eventId == EventId::UnexpectedExitCode);
  CHECK(ClassifyEnd(EndKind::WatchdogKilled, 0).eventId == EventId::WatchdogKilled);
  CHECK(ClassifyEnd(EndKind::LaunchFailed, 0).eventId == EventId::LaunchFailed);
  for (const auto& o : {ClassifyEnd(EndKind::Exited, 1), ClassifyEnd(EndKind::Exited, 3),
                        ClassifyEnd(EndKind::Exited, 0xC0000005u), ClassifyEnd(EndKind::Exited, 7),
                        ClassifyEnd(EndKind::WatchdogKilled, 0), ClassifyEnd(EndKind::LaunchFailed, 0)}) {
    CHECK(o.tileMessage == unavailable);
    CHECK(o.effect == FailureEffect::Count);
    CHECK(o.level == EventLevel::Error);
  }
  const auto stopped = ClassifyEnd(EndKind::StoppedWithProvider, 0);
  CHECK(stopped.effect == FailureEffect::None);
  CHECK(stopped.tileMessage.empty());
}

static void TestFailureCounter() {
  FailureState s;
  s = NextFailureState(s, FailureEffect::Count);
  CHECK(s.consecutiveFailures == 1 && !s.disabled);
  s = NextFailureState(s, FailureEffect::Count);
  CHECK(s.consecutiveFailures == 2 && !s.disabled);
  s = NextFailureState(s, FailureEffect::None);
  CHECK(s.consecutiveFailures == 2 && !s.disabled);
  s = NextFailureState(s, FailureEffect::Reset);
  CHECK(s.consecutiveFailures == 0 && !s.disabled);
  for (int i = 0; i < 3; ++i) s = NextFailureState(s, FailureEffect::Count);
  CHECK(s.consecutiveFailures == 3 && s.disabled);
  FailureState saturated{0xffffffffu, true};
  CHECK(NextFailureState(saturated, FailureEffect::Count).consecutiveFailures == 0xffffffffu);
}

static void TestEscaping() {
  // The log-injection case from security.md §7 #10: exactly one record, no raw CR/LF/ESC.
  const std::wstring hostile = L"a\r\n2026-01-01 INFO ok user=admin\x1b[2J %1 %%1 \x202e";
  const std::wstring escaped = EscapeForLog(hostile);
  CHECK(escaped.find(L'\r') == std::wstring::npos);
  CHECK(escaped.find(L'\n') == std::wstring::npos);
  CHECK(escaped.find(L'\x1b') == std::wstring::npos);
  CHECK(escaped.find(L'%') == std::wstring::npos);
  CHECK(escaped.find(L'\x202e') == std::wstring::npos);
  CHECK(escaped == L"a\\u000d\\u000a2026-01-01 INFO ok user=admin\\u001b[2J \\u00251 \\u0025\\u00251 \\u202e");
  CHECK(EscapeForLog(std::wstring(2000, L'x'), 10) == L"xxxxxxxxxx...");

  const std::string line = FormatDebugRecord("2026-01-01T00:00:00Z", EventId::Crashed, EventLevel::Error, false,
                                             L"quote \" back\\ nl\n \x00e9");
  CHECK(line ==
        "{\"time\":\"2026-01-01T00:00:00Z\",\"source\":\"SsprLogon\",\"id\":160,\"level\":\"error\",\"verbose\":false,"
        "\"message\":\"quote \\\" back\\\\ nl\\\\u000a \xc3\xa9\"}");
  CHECK(line.find('\n') == std::string::npos);
  CHECK(ToUtf8(L"\x20ac") == "\xe2\x82\xac");
}

static void TestOverlayLogLines() {
  const std::string t = "2026-01-01T00:00:00.000Z";
  CHECK(SanitizeOverlayLogLine("{\"level\":\"info\",\"event\":\"x\"}\r", t) == "{\"level\":\"info\",\"event\":\"x\"}");
  CHECK(SanitizeOverlayLogLine("   \r", t).empty());
  CHECK(SanitizeOverlayLogLine("", t).empty());
  // Not a JSON object line: kept, but escaped inside a wrapper the overlay cannot shape.
  CHECK(SanitizeOverlayLogLine("plain text", t) ==
        "{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"warn\",\"event\":\"overlay.invalid_line\",\"source\":\"overlay\","
        "\"invalid\":true,\"line\":\"plain text\"}");
  const std::string forged = SanitizeOverlayLogLine("{\"a\":1}\x1b[2J{\"level\":\"info\"}", t);
  CHECK(forged.find('\x1b') == std::string::npos);
  CHECK(forged.find("\"invalid\":true") != std::string::npos);
  CHECK(forged.find("\\u001b") != std::string::npos);
  const std::string huge = "{\"x\":\"" + std::string(40000, 'a') + "\"}";
  const std::string capped = SanitizeOverlayLogLine(huge, t, 1000);
  CHECK(capped.find("\"truncated\":true") != std::string::npos);
  CHECK(capped.size() < 1200);
  // Truncation never leaves half a UTF-8 character behind.
  const std::string euros = "{\"x\":\"" + std::string(10, 'a') + "\xe2\x82\xac\xe2\x82\xac\"}";
  const std::string cut = SanitizeOverlayLogLine(euros, t, 18);  // cuts inside the first euro sign
  CHECK(cut.find("\"line\":\"{\\\"x\\\":\\\"aaaaaaaaaa\"}") != std::string::npos);
}

static void TestSessionLimit() {
  // Always below the watchdog, so a user who keeps the overlay busy meets the limit (exit 12), not the watchdog.
  CHECK(SessionLimitSeconds(900) == 840);
  CHECK(SessionLimitSeconds(240) == 180);
  CHECK(SessionLimitSeconds(30) == 23);  // short test watchdogs: a quarter below
  CHECK(SessionLimitSeconds(2) == 1);
  CHECK(SessionLimitSeconds(3) == 2);
  for (std::uint32_t w = kMinWatchdogSeconds; w <= kMaxWatchdogSeconds; w += 7) {
    const std::uint32_t limit = SessionLimitSeconds(w);
    CHECK(limit >= 1);
    CHECK(limit < w);
  }
  const std::wstring exe = L"C:\\Program Files\\SSPR Logon\\SsprLogon.exe";
  LaunchExtras extras;
  extras.sessionLimitSeconds = 840;
  CHECK(BuildOverlayCommandLine(exe, Scenario::Logon, L"", L"en-US", extras) ==
        L"\"C:\\Program Files\\SSPR Logon\\SsprLogon.exe\" --scenario=logon --lang=en-US --session-limit=840");
}

static void TestUiReady() {
  CHECK(IsUiReadyLine("{\"event\":\"ui.ready\"}"));
  CHECK(IsUiReadyLine("{\"time\":\"2026-01-01T00:00:00.000Z\",\"level\":\"info\",\"event\":\"ui.ready\",\"n\":1}\r"));
  CHECK(IsUiReadyLine("  { \"event\" : \"ui.ready\" }  "));
  CHECK(!IsUiReadyLine(""));
  CHECK(!IsUiReadyLine("ui.ready"));
  CHECK(!IsUiReadyLine("{\"event\":\"ui.ready.not\"}"));
  CHECK(!IsUiReadyLine("{\"event\":\"ui.readyx\"}"));
  CHECK(!IsUiReadyLine("{\"event\":\"overlay.start\"}"));
  // Quoted inside a string (a page's console message in a log record) or nested: not the signal.
  CHECK(!IsUiReadyLine("{\"event\":\"console\",\"message\":\"{\\\"event\\\":\\\"ui.ready\\\"}\"}"));
  CHECK(!IsUiReadyLine("{\"event\":\"console\",\"data\":{\"event\":\"ui.ready\"}}"));
  CHECK(!IsUiReadyLine("{\"message\":\"\\\"event\\\":\\\"ui.ready\\\"\"}"));
  CHECK(!IsUiReadyLine("{\"list\":[{\"event\":\"ui.ready\"}]}"));
  // A value that is the key's text is not a key.
  CHECK(!IsUiReadyLine("{\"a\":\"event\",\"b\":\"ui.ready\"}"));
  CHECK(!IsUiReadyLine("[{\"event\":\"ui.ready\"}]"));
}

static void TestReadinessDecidesCounting() {
  // Before UI ready: errors, crashes, hangs and launch failures count (the install is broken).
  for (const auto& o : {ClassifyEnd(EndKind::Exited, 1, false), ClassifyEnd(EndKind::Exited, 0xC0000005u, false),
                        ClassifyEnd(EndKind::Exited, 7, false), ClassifyEnd(EndKind::WatchdogKilled, 0, false)}) {
    CHECK(o.effect == FailureEffect::Count);
  }
  // After UI ready the same ends are reported with the same event, but never counted.
  CHECK(ClassifyEnd(EndKind::Exited, 1, true).effect == FailureEffect::None);
  CHECK(ClassifyEnd(EndKind::Exited, 1, true).eventId == EventId::InternalError);
  CHECK(ClassifyEnd(EndKind::Exited, 0xC0000005u, true).effect == FailureEffect::None);
  CHECK(ClassifyEnd(EndKind::Exited, 0xC0000005u, true).eventId == EventId::Crashed);
  CHECK(ClassifyEnd(EndKind::WatchdogKilled, 0, true).effect == FailureEffect::None);
  CHECK(ClassifyEnd(EndKind::WatchdogKilled, 0, true).eventId == EventId::WatchdogKilled);
  // A launch failure always counts; defined outcomes keep resetting.
  CHECK(ClassifyEnd(EndKind::LaunchFailed, 0, true).effect == FailureEffect::Count);
  CHECK(ClassifyEnd(EndKind::Exited, 0, true).effect == FailureEffect::Reset);
  // The session limit: its own event and tile text, never counted, ready or not.
  for (bool ready : {false, true}) {
    const auto limit = ClassifyEnd(EndKind::Exited, kExitSessionLimit, ready);
    CHECK(limit.eventId == EventId::SessionLimit);
    CHECK(limit.effect == FailureEffect::None);
    CHECK(limit.tileMessage.find(L"open too long") != std::wstring::npos);
  }
  // The dedicated account failing never counts (it can fail on every PC at once).
  const auto account = ClassifyEnd(EndKind::AccountUnavailable, 0, false);
  CHECK(account.eventId == EventId::AccountUnavailable);
  CHECK(account.effect == FailureEffect::None);
  CHECK(account.level == EventLevel::Error);
}

static void TestSandboxSwitch() {
  CHECK(kActiveProcessLimit == 16);
  CHECK(kActiveProcessLimit >= 2 * kExpectedPeakProcesses);
}

static void TestAccountPassword() {
  unsigned char random[kAccountPasswordRandomBytes];
  for (std::size_t i = 0; i < sizeof random; ++i) random[i] = static_cast<unsigned char>(i * 37 + 11);
  const std::wstring password = MakeAccountPassword(random, sizeof random);
  CHECK(password.size() == kAccountPasswordChars);
  bool upper = false, lower = false, digit = false, symbol = false;
  for (wchar_t c : password) {
    if (c >= L'A' && c <= L'Z') upper = true;
    else if (c >= L'a' && c <= L'z') lower = true;
    else if (c >= L'0' && c <= L'9') digit = true;
    else symbol = true;
    CHECK(c > 0x20 && c < 0x7f);
  }
  CHECK(upper && lower && digit && symbol);
  // Even all-zero randomness still meets every complexity class; too little randomness gives nothing.
  unsigned char zeros[kAccountPasswordRandomBytes] = {};
  const std::wstring flat = MakeAccountPassword(zeros, sizeof zeros);
  CHECK(flat.size() == kAccountPasswordChars);
  CHECK(flat.substr(0, 4) == L"Aa2!");
  CHECK(MakeAccountPassword(random, kAccountPasswordChars).empty());
  CHECK(MakeAccountPassword(nullptr, 64).empty());
  // Different randomness, different password.
  random[9] ^= 0x55;
  CHECK(MakeAccountPassword(random, sizeof random) != password);
}

// The tile speaks the overlay's languages: Locale first, then the Windows display language, then English.
static void TestTileTexts() {
  CHECK(PickTileLanguage(L"fr", L"de", L"ja-JP") == L"fr");
  CHECK(PickTileLanguage(L"", L"de", L"ja-JP") == L"de");
  CHECK(PickTileLanguage(L"", L"", L"ja-JP") == L"ja-JP");
  CHECK(PickTileLanguage(L"", L"", L"") == L"en");

  CHECK(TileLanguageCode(L"de-AT") == L"de");
  CHECK(TileLanguageCode(L"zh-TW") == L"zh-Hant");
  CHECK(TileLanguageCode(L"zh-Hant-HK") == L"zh-Hant");
  CHECK(TileLanguageCode(L"zh-CN") == L"zh-Hans");
  CHECK(TileLanguageCode(L"pt") == L"pt-BR");
  CHECK(TileLanguageCode(L"pt-PT") == L"pt-PT");
  CHECK(TileLanguageCode(L"nn-NO") == L"nb");
  CHECK(TileLanguageCode(L"EL-gr") == L"en");
  CHECK(TileLanguageCode(L"") == L"en");

  CHECK(std::wstring(TileTextFor(TileText::Link, L"en-US")) == kDefaultLinkText);
  CHECK(std::wstring(TileTextFor(TileText::Link, L"de-DE")) == L"Kennwort vergessen?");
  CHECK(std::wstring(TileTextFor(TileText::Title, L"fr-FR")) == L"R\u00e9initialisation du mot de passe");
  CHECK(std::wstring(TileTextFor(TileText::Link, L"xx")) == kDefaultLinkText);

  // Every status line ClassifyEnd gives is translated; an empty one stays empty.
  const std::uint32_t codes[] = {0, 1, 20, 30, 40, 7};
  for (std::uint32_t code : codes) {
    const std::wstring english = ClassifyEnd(EndKind::Exited, code).tileMessage;
    CHECK(!english.empty());
    CHECK(LocalizeTileMessage(english, L"en") == english);
    CHECK(LocalizeTileMessage(english, L"de") != english);
    CHECK(!LocalizeTileMessage(english, L"ja").empty());
  }
  CHECK(LocalizeTileMessage(ClassifyEnd(EndKind::LaunchFailed, 0).tileMessage, L"sv") == L"\u00c5terst\u00e4llning av l\u00f6senord \u00e4r inte tillg\u00e4nglig just nu.");
  CHECK(LocalizeTileMessage(L"", L"de").empty());
  CHECK(LocalizeTileMessage(L"Some other text", L"de") == L"Some other text");
}

int main() {
  TestAccountPassword();
  TestSessionLimit();
  TestUiReady();
  TestReadinessDecidesCounting();
  TestSandboxSwitch();
  TestQuoting();
  TestCommandLine();
  TestLanguageTags();
  TestInstallDir();
  TestLinkText();
  TestRunFolderNames();
  TestUseOverlayAccount();
  TestWatchdog();
  TestOutcomes();
  TestFailureCounter();
  TestEscaping();
  TestOverlayLogLines();
  TestTileTexts();
  if (g_failures != 0) {
    std::printf("failed %d of %d\n", g_failures, g_checks);
    return 1;
  }
  std::printf("ok %d\n", g_checks);
  return 0;
}
