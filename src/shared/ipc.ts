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
  /** The organisation's look (BrandName, AccentColor, UpnSuffix); absent when not configured. */
  brandName: v.optional(v.pipe(v.string(), v.maxLength(64))),
  accentColor: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i))),
  upnSuffix: v.optional(v.pipe(v.string(), v.maxLength(48))),
  /** LogoFile, checked and read by main, as a data: URL (never a network address). */
  logoDataUrl: v.optional(v.pipe(v.string(), v.regex(/^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/=]+$/), v.maxLength(90_000))),
});
export type AppInfo = v.InferOutput<typeof AppInfoSchema>;

export const ExitReasonSchema = v.picklist(['done', 'cancelled', 'idle']);
export type ExitReason = v.InferOutput<typeof ExitReasonSchema>;

const Empty = v.strictObject({});

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
  /** Leave the overlay; main maps the reason to the DESIGN.md exit code. */
  'app:exit': { request: v.strictObject({ reason: ExitReasonSchema }), response: v.strictObject({ ok: v.literal(true) }) },
} as const;

export type IpcContract = typeof ipcContract;
export type Channel = keyof IpcContract;
export const channels = Object.keys(ipcContract) as Channel[];
export type RequestOf<C extends Channel> = v.InferOutput<IpcContract[C]['request']>;
export type ResponseOf<C extends Channel> = v.InferOutput<IpcContract[C]['response']>;

/** What the main process implements; what the preload and the browser-host client expose. */
export type IpcHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

/** The renderer's API object: one function per channel. */
export type SsprApi = IpcHandlers;

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(ipcContract, name);

// ---------------------------------------------------------------- portal engine (additive)
/**
 * Extra channels of the portal engine's chrome (src/renderer/portal). Kept in their own map so the core's
 * IpcHandlers and the browser host stay as they are; only the Electron preload exposes these, and the
 * chrome copes with their absence (browser host: no locked view to host).
 */
export const PortalErrorReasons = ['offline', 'dns', 'timeout', 'tls', 'certificate', 'proxy', 'blocked', 'http', 'crashed', 'other'] as const;
export type PortalErrorReason = (typeof PortalErrorReasons)[number];

export const PortalStateSchema = v.object({
  /** loading: the view is fetching; showing: the portal is visible; error: our error screen; done: reset reached. */
  phase: v.picklist(['loading', 'showing', 'error', 'done']),
  error: v.optional(v.object({ code: ErrorCodeSchema, reason: v.picklist(PortalErrorReasons), correlationId: v.optional(v.string()) })),
  /** The language the portal was asked for (mkt=…). */
  language: v.string(),
  /** Seconds until the idle exit; main measures activity inside the portal view too. */
  idleRemainingSeconds: v.number(),
});
export type PortalState = v.InferOutput<typeof PortalStateSchema>;

export const portalIpcContract = {
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

export type PortalIpcContract = typeof portalIpcContract;
export type PortalChannel = keyof PortalIpcContract;
export const portalChannels = Object.keys(portalIpcContract) as PortalChannel[];
export type PortalRequestOf<C extends PortalChannel> = v.InferOutput<PortalIpcContract[C]['request']>;
export type PortalHandlers = { [C in PortalChannel]: (request: PortalRequestOf<C>) => Promise<PortalState> };

export const isPortalChannel = (name: unknown): name is PortalChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(portalIpcContract, name);
