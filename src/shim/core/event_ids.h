// Stable Event Log IDs of the credential-provider shim (source "SsprLogon", Application log).
// Documented in docs/event-ids.md. Never renumber: helpdesk queries and SIEM rules match on these.
#pragma once

#include <cstdint>

namespace sspr {

enum class EventId : std::uint16_t {
  OverlayStarted = 100,
  LaunchFailed = 101,
  LaunchRefusedNoLeastPrivilege = 102,
  DoubleLaunchRefused = 103,
  InstallPathInvalid = 104,
  PayloadRejected = 105,
  AccountUnavailable = 106,
  ProductDataFolderRejected = 107,
  ActiveLogRefused = 108,
  ResetDone = 110,
  Cancelled = 111,
  IdleTimeout = 112,
  SessionLimit = 113,
  NotEnabled = 120,
  ServiceUnreachable = 130,
  Throttled = 140,
  InternalError = 150,
  UnexpectedExitCode = 151,
  Crashed = 160,
  WatchdogKilled = 170,
  SelfDisabled = 180,
  FailureCounterReset = 181,
  StoppedWithProvider = 190,
  ProviderScenario = 200,
  ProviderDisabledHidden = 201,
  UnexpectedException = 900,
};

enum class EventLevel { Info, Warning, Error };

}  // namespace sspr
