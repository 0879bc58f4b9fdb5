/**
 * The one schema of a log record, shared by everything that writes the overlay's JSON lines and by the
 * helpdesk commands that read them (`logs`, `report`). One JSON object per line:
 * `time` (ISO UTC), `level`, `event`, `correlationId`, then fields. The records of one reset attempt
 * carry the attempt fields below, so an attempt can be found by its correlation id or by its user's hash.
 * Unknown fields are kept: a newer overlay may log more than this reader knows.
 */
import * as v from 'valibot';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogRecordLevel = (typeof LOG_LEVELS)[number];

/** debug 0 < info 1 < warn 2 < error 3; -1 for anything else. */
export const levelRank = (level: unknown): number => LOG_LEVELS.indexOf(level as LogRecordLevel);

/** The event of every step of an attempt (start, challenge, continue, resend, submit, restart). */
export const ATTEMPT_STEP_EVENT = 'flow.step';

/** Outcomes of a step that went as the user wanted; every other outcome is a failure, logged at warn or above. */
export const SUCCESS_OUTCOMES: readonly string[] = ['ok', 'succeeded'];

const isoTime = v.pipe(
  v.string(),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'not an ISO time'),
);

export const logRecordSchema = v.looseObject({
  time: isoTime,
  level: v.picklist(LOG_LEVELS),
  event: v.pipe(v.string(), v.minLength(1)),
  correlationId: v.optional(v.string()),
  // Attempt fields: present where known.
  scenario: v.optional(v.string()),
  engine: v.optional(v.string()),
  step: v.optional(v.string()),
  outcome: v.optional(v.string()),
  errorCode: v.optional(v.string()),
  /** Duration of the service request behind this step. */
  durationMs: v.optional(v.number()),
  /** Time since the attempt started. */
  attemptMs: v.optional(v.number()),
  /** `h:` + 16 hex chars (salted hash), or the user id itself when verbose logging is on. */
  user: v.optional(v.string()),
});

export type LogRecord = v.InferOutput<typeof logRecordSchema>;

/** A parsed record, or null when the line is not one (bad JSON or not in the schema). */
export const parseLogLine = (line: string): LogRecord | null => {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  const result = v.safeParse(logRecordSchema, raw);
  return result.success ? result.output : null;
};

/** True for a step record whose outcome is a failure. */
export const isFailedStep = (r: LogRecord): boolean =>
  r.event === ATTEMPT_STEP_EVENT && r.outcome !== undefined && !SUCCESS_OUTCOMES.includes(r.outcome);
