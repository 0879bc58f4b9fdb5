/**
 * The one IPC contract between the renderer and the main process. Both the Electron preload and the
 * browser host carry exactly these channels; the main side validates every request against these schemas
 * before a handler runs (see src/main/core/ipcBoundary.ts).
 *
 * valibot, not zod: this module is bundled into the renderer and must stay small (DESIGN.md size table).
 */
import * as v from 'valibot';
import { InlineErrorCodes, ScreenErrorCodes } from './errors';

/** Generous caps: long enough that nothing legitimate is cut, short enough that a 1 MB paste is refused at the boundary. */
export const MAX_USERNAME_INPUT = 1024;
export const MAX_CODE_INPUT = 256;
export const MAX_PASSWORD_INPUT = 1024;

const ErrorCodeSchema = v.picklist([...InlineErrorCodes, ...ScreenErrorCodes]);

export const FlowErrorSchema = v.object({
  code: ErrorCodeSchema,
  /** Seconds the user must wait before trying again (throttling, resend cooldown). */
  retryAfterSeconds: v.optional(v.number()),
  /** Correlation id of the attempt, shown on error screens so helpdesk can find the log lines. */
  correlationId: v.optional(v.string()),
});
export type FlowError = v.InferOutput<typeof FlowErrorSchema>;

export const FlowViewSchema = v.variant('step', [
  v.object({ step: v.literal('userId') }),
  v.object({
    step: v.literal('code'),
    channel: v.literal('email'),
    /** Masked target as the service sent it, e.g. "a***e@fa*****k.com". */
    target: v.string(),
    codeLength: v.number(),
    /** Seconds until "Send a new code" is allowed. */
    resendAvailableInSeconds: v.number(),
    /** Set when this view is the answer to a resend. */
    resent: v.optional(v.boolean()),
  }),
  v.object({ step: v.literal('password') }),
  v.object({ step: v.literal('done') }),
]);
export type FlowView = v.InferOutput<typeof FlowViewSchema>;

export const FlowResultSchema = v.variant('ok', [
  v.object({ ok: v.literal(true), view: FlowViewSchema }),
  v.object({ ok: v.literal(false), error: FlowErrorSchema }),
]);
export type FlowResult = v.InferOutput<typeof FlowResultSchema>;

export const AppInfoSchema = v.object({
  productName: v.string(),
  scenario: v.picklist(['logon', 'unlock']),
  engine: v.picklist(['native', 'portal']),
  /** Name shown on the tile, used to prefill the user id (may be empty). */
  userHint: v.string(),
  locale: v.string(),
  helpdeskText: v.string(),
  idleTimeoutSeconds: v.number(),
  /** True when running against the embedded emulator: the UI says so. */
  demo: v.boolean(),
  /** Portal engine only: the URL the locked view shows. */
  portalUrl: v.string(),
  /**
   * Native engine: when the service answers `redirect`, the overlay can offer the tenant's hosted web flow
   * (PortalUrl) in its locked view — policy allows it and the host is allow-listed. Absent means no.
   */
  webFlowOnRedirect: v.optional(v.boolean()),

  /** The organisation's look (BrandName, AccentColor, UpnSuffix); absent when not configured. */
  brandName: v.optional(v.pipe(v.string(), v.maxLength(64))),
  accentColor: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i))),
  upnSuffix: v.optional(v.pipe(v.string(), v.maxLength(48))),
  /** LogoFile, checked and read by main, as a data: URL (never a network address). */
  logoDataUrl: v.optional(v.pipe(v.string(), v.regex(/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/), v.maxLength(90_000))),
});
export type AppInfo = v.InferOutput<typeof AppInfoSchema>;

/**
 * A QR code as its module matrix: `size` rows of `size` modules, row by row, '1' dark. Main encodes it
 * (src/main/core/qrCode.ts), the renderer only paints it, so the encoder stays out of the first load.
 */
export const QrMatrixSchema = v.pipe(
  v.object({
    // QR versions 1–40 are 21–177 modules wide (ISO/IEC 18004).
    size: v.pipe(v.number(), v.integer(), v.minValue(21), v.maxValue(177)),
    modules: v.pipe(v.string(), v.regex(/^[01]+$/)),
  }),
  v.check((m) => m.modules.length === m.size * m.size, 'modules must fill size × size'),
);
export type QrMatrix = v.InferOutput<typeof QrMatrixSchema>;

/** Where a person the screen cannot help resets instead (the configured PortalUrl), as text and QR code. */
export const ResetAddressSchema = v.object({
  address: v.pipe(v.string(), v.url(), v.maxLength(2048)),
  qr: QrMatrixSchema,
});
export type ResetAddress = v.InferOutput<typeof ResetAddressSchema>;

export const ExitReasonSchema = v.picklist(['done', 'cancelled', 'idle']);
export type ExitReason = v.InferOutput<typeof ExitReasonSchema>;

const Empty = v.strictObject({});

// ---------------------------------------------------------------- the portal engine's state
export const PortalErrorReasons = ['offline', 'dns', 'timeout', 'tls', 'certificate', 'proxy', 'blocked', 'http', 'crashed', 'other'] as const;
/**
 * Outcomes the portal itself reached (recognised by a marker) that get our own screen: the portal's page
 * words them in its language, ours says what to do next and has no "Try again".
 */
export const PortalOutcomeReasons = ['not_enabled', 'not_registered', 'not_saved', 'throttled'] as const;
export type PortalErrorReason = (typeof PortalErrorReasons)[number] | (typeof PortalOutcomeReasons)[number];

export const PortalStateSchema = v.object({
  /** loading: the view is fetching; showing: the portal is visible; error: our error screen; done: reset reached. */
  phase: v.picklist(['loading', 'showing', 'error', 'done']),
  error: v.optional(
    v.object({
      code: ErrorCodeSchema,
      reason: v.picklist([...PortalErrorReasons, ...PortalOutcomeReasons]),
      correlationId: v.optional(v.string()),
      /** A refused server redirect: the host it wanted, so the helpdesk can tell a captive portal from a federation hop. */
      blockedHost: v.optional(v.string()),
    }),
  ),
  /** The language the portal was asked for (mkt=…). */
  language: v.string(),
  /** Seconds until the idle exit; main measures activity inside the portal view too. */
  idleRemainingSeconds: v.number(),
});
export type PortalState = v.InferOutput<typeof PortalStateSchema>;


/** The channel map: request schema and response schema per channel. */
export const ipcContract = {
  'app:info': { request: Empty, response: AppInfoSchema },
  'flow:start': {
    request: v.strictObject({ username: v.pipe(v.string(), v.maxLength(MAX_USERNAME_INPUT)) }),
    response: FlowResultSchema,
  },
  'flow:submitCode': {
    request: v.strictObject({ code: v.pipe(v.string(), v.maxLength(MAX_CODE_INPUT)) }),
    response: FlowResultSchema,
  },
  'flow:resendCode': { request: Empty, response: FlowResultSchema },
  'flow:submitPassword': {
    request: v.strictObject({ password: v.pipe(v.string(), v.maxLength(MAX_PASSWORD_INPUT)) }),
    response: FlowResultSchema,
  },
  /** Abandon the current attempt and return to the user-id screen (no exit). */
  'flow:restart': { request: Empty, response: FlowResultSchema },
  /** Native engine after a `redirect`: open the hosted web flow in the locked view (see AppInfo.webFlowOnRedirect). */
  'app:openWebFlow': { request: Empty, response: v.strictObject({ ok: v.boolean() }) },
  /** The address (and its QR code) for finishing on another device, e.g. after a `redirect` answer. */
  'app:resetAddress': { request: Empty, response: ResetAddressSchema },
  /** Leave the overlay; main maps the reason to the DESIGN.md exit code. */
  'app:exit': { request: v.strictObject({ reason: ExitReasonSchema }), response: v.strictObject({ ok: v.literal(true) }) },
  // Portal engine: the chrome around the locked portal view (src/renderer/portal). Only the Electron
  // overlay running the portal engine answers these; elsewhere the dispatcher refuses them as unknown.
  'portal:state': { request: Empty, response: PortalStateSchema },
  'portal:setLanguage': {
    request: v.strictObject({ language: v.pipe(v.string(), v.maxLength(35), v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)) }),
    response: PortalStateSchema,
  },
  /** Load the portal again after an error screen. */
  'portal:retry': { request: Empty, response: PortalStateSchema },
  /** Where the locked view goes: below the chrome's header (`top` CSS px), hidden while the chrome shows a screen of its own. */
  'portal:layout': {
    request: v.strictObject({ top: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2000)), visible: v.boolean() }),
    response: PortalStateSchema,
  },
} as const;

export type IpcContract = typeof ipcContract;
export type Channel = keyof IpcContract;
export const channels = Object.keys(ipcContract) as Channel[];
export type RequestOf<C extends Channel> = v.InferOutput<IpcContract[C]['request']>;
export type ResponseOf<C extends Channel> = v.InferOutput<IpcContract[C]['response']>;

/** Every channel's handler: what the main process implements, what the preload exposes. */
export type IpcHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export type PortalChannel = Extract<Channel, `portal:${string}`>;
export const portalChannels = channels.filter((c): c is PortalChannel => c.startsWith('portal:'));
export const isPortalChannel = (name: unknown): name is PortalChannel => typeof name === 'string' && name.startsWith('portal:') && isChannel(name);

/** The channels the core answers for both engines (app:* and flow:*); the browser host carries only these. */
export type CoreChannel = Exclude<Channel, PortalChannel>;
export type CoreHandlers = Pick<IpcHandlers, CoreChannel>;
export type PortalHandlers = Pick<IpcHandlers, PortalChannel>;

/** The renderer's API object: one function per channel (the preload's type is derived from this). */
export type SsprApi = IpcHandlers;

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcContract, name);

