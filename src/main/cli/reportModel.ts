/**
 * What `report` shows, gathered from a stream of records with bounded memory: the attempts (records
 * sharing a correlation id), how each ended, and how often each error code was shown. The timeline keeps
 * the latest attempts only; the counts cover every attempt in the range.
 */
import { isFailedStep, SUCCESS_OUTCOMES, type LogRecord } from '../../shared/logRecord';

export type AttemptEnd = 'succeeded' | 'failed' | 'unfinished';

export interface AttemptStep {
  time: string;
  step: string;
  outcome: string;
  errorCode?: string;
}

export interface Attempt {
  correlationId: string;
  first: string;
  last: string;
  scenario?: string;
  engine?: string;
  user?: string;
  steps: AttemptStep[];
  end: AttemptEnd;
  /** The error code of the last failure, when it did not succeed. */
  errorCode?: string;
}

export interface ReportModel {
  from?: string;
  to?: string;
  records: number;
  attempts: Attempt[];
  /** Attempts counted but left out of the timeline (it keeps the latest). */
  olderAttempts: number;
  ends: Record<AttemptEnd, number>;
  /** How many times each error code was shown, over every failed step. */
  errorCodes: Record<string, number>;
}

export const MAX_TIMELINE_ATTEMPTS = 1000;
const MAX_STEPS_PER_ATTEMPT = 50;

export const createReportCollector = (maxAttempts = MAX_TIMELINE_ATTEMPTS) => {
  const open = new Map<string, Attempt>();
  const model: ReportModel = { records: 0, attempts: [], olderAttempts: 0, ends: { succeeded: 0, failed: 0, unfinished: 0 }, errorCodes: {} };

  const close = (a: Attempt): void => {
    model.ends[a.end] += 1;
  };

  const add = (r: LogRecord): void => {
    model.records += 1;
    if (model.from === undefined || r.time < model.from) model.from = r.time;
    if (model.to === undefined || r.time > model.to) model.to = r.time;
    if (isFailedStep(r) || (r.errorCode !== undefined && r.outcome !== undefined && !SUCCESS_OUTCOMES.includes(r.outcome))) {
      const code = r.errorCode ?? r.outcome ?? 'unknown';
      model.errorCodes[code] = (model.errorCodes[code] ?? 0) + 1;
    }
    if (!r.correlationId || r.step === undefined || r.outcome === undefined) return;
    let a = open.get(r.correlationId);
    if (!a) {
      a = { correlationId: r.correlationId, first: r.time, last: r.time, steps: [], end: 'unfinished' };
      open.set(r.correlationId, a);
      if (open.size > maxAttempts) {
        // The oldest attempt leaves the timeline but still counts.
        const [oldestId, oldest] = open.entries().next().value as [string, Attempt];
        open.delete(oldestId);
        close(oldest);
        model.olderAttempts += 1;
      }
    }
    a.last = r.time > a.last ? r.time : a.last;
    a.scenario ??= r.scenario;
    a.engine ??= r.engine;
    a.user ??= r.user;
    if (a.steps.length < MAX_STEPS_PER_ATTEMPT) a.steps.push({ time: r.time, step: r.step, outcome: r.outcome, ...(r.errorCode ? { errorCode: r.errorCode } : {}) });
    // Going back to the start ends nothing: the attempt is what happened before it.
    if (r.step === 'restart') return;
    if (r.outcome === 'succeeded') {
      a.end = 'succeeded';
      delete a.errorCode;
    } else if (!SUCCESS_OUTCOMES.includes(r.outcome) && a.end !== 'succeeded') {
      a.end = 'failed';
      a.errorCode = r.errorCode ?? r.outcome;
    } else if (a.end === 'failed' && SUCCESS_OUTCOMES.includes(r.outcome)) {
      // A wrong code followed by the right one: the attempt went on.
      a.end = 'unfinished';
      delete a.errorCode;
    }
  };

  const finish = (): ReportModel => {
    for (const a of open.values()) close(a);
    model.attempts = [...open.values()].sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
    return model;
  };

  return { add, finish };
};
