/**
 * Loads the common-password filter (common-passwords.js, written by the build next to app.js) when the
 * password screen first needs it. Anything that goes wrong (missing file, damaged data) resolves null, and the checklist
 * simply leaves that warning out.
 */
import { BloomFilter, type BloomFilterData } from '../shared/bloomFilter';
import { COMMON_PASSWORDS_CALLBACK, COMMON_PASSWORDS_SCRIPT } from '../shared/passwordHints';
import { loadOwnScript } from './ownScript';

type Sink = (data: BloomFilterData) => void;
const globalScope = globalThis as unknown as Record<string, Sink | undefined>;

let loading: Promise<BloomFilter | null> | null = null;

const load = async (): Promise<BloomFilter | null> => {
  let filter: BloomFilter | null = null;
  // The hook accepts one delivery only, so a stray later call cannot swap the list.
  globalScope[COMMON_PASSWORDS_CALLBACK] = (data) => {
    globalScope[COMMON_PASSWORDS_CALLBACK] = undefined;
    try {
      filter = BloomFilter.fromData(data);
    } catch {
      filter = null;
    }
  };
  return (await loadOwnScript(COMMON_PASSWORDS_SCRIPT)) ? filter : null;
};

/** The filter, loaded once per overlay; a failed load is tried again the next time the screen mounts. */
export const loadCommonPasswords = (): Promise<BloomFilter | null> => {
  loading ??= load().then((filter) => {
    if (!filter) loading = null;
    return filter;
  });
  return loading;
};
