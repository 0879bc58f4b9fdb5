/**
 * The seeded demo directory of tenant contoso.onmicrosoft.com ("Contoso"): one account per path through the
 * flow, each with a known current password so the demo and the tests can sign in or check the change.
 */
export type DemoUserKind =
  | 'registered'
  | 'unregistered'
  | 'sspr_disabled'
  | 'account_disabled'
  | 'admin'
  | 'phone_only'
  | 'writeback_fails_once'
  | 'custom_banned';

export type AuthMethod = 'email' | 'mobilePhone' | 'authenticatorApp';

export interface DemoUser {
  username: string;
  displayName: string;
  givenName: string;
  surname: string;
  kind: DemoUserKind;
  /** What the account demonstrates, for the README and docs/emulator.md. */
  note: string;
  /** The password the account starts with. */
  initialPassword: string;
  objectId: string;
  /** The registered recovery e-mail address (the OTP goes here), if any. */
  email?: string;
  methods: AuthMethod[];
  ssprEnabled: boolean;
  accountEnabled: boolean;
  /** Admin roles get Entra's two-gate policy: two methods, which the native API cannot do. */
  isAdmin: boolean;
  /** How many password writebacks fail before one succeeds (an on-premises 33008 policy error). */
  writebackFailures: number;
}

export const DEMO_TENANT = 'contoso.onmicrosoft.com';
export const DEMO_TENANT_DISPLAY_NAME = 'Contoso';
export const DEMO_TENANT_ID = '7d3a9b2e-4c61-4f0a-9e58-2b6c1d8f0a34';
/** The native-auth app registration the demo and tests use. */
export const DEMO_CLIENT_ID = 'b8e4f1c2-6a3d-4e59-9c07-3f2a1d5e8b60';

const SEED: DemoUser[] = [
  {
    username: 'alice@contoso.com', displayName: 'Alice Anderson', givenName: 'Alice', surname: 'Anderson',
    kind: 'registered', note: 'Registered with an e-mail method: the happy path.',
    initialPassword: 'Blue-Harbor-73', objectId: '1f0c6a2e-7b3d-4c8e-9a51-0d2e4f6a8b01',
    email: 'alice@fabrikam.com', methods: ['email'], ssprEnabled: true, accountEnabled: true, isAdmin: false, writebackFailures: 0,
  },
  {
    username: 'bob@contoso.com', displayName: 'Bob Brown', givenName: 'Bob', surname: 'Brown',
    kind: 'unregistered', note: 'SSPR enabled but no method registered: start answers registration_required.',
    initialPassword: 'Quiet-Maple-58', objectId: '2a1d7b3f-8c4e-4d9f-8b62-1e3f5a7b9c02',
    methods: [], ssprEnabled: true, accountEnabled: true, isAdmin: false, writebackFailures: 0,
  },
  {
    username: 'carol@contoso.com', displayName: 'Carol Chen', givenName: 'Carol', surname: 'Chen',
    kind: 'sspr_disabled', note: 'Not in the SSPR-enabled group: start answers invalid_request 50057.',
    initialPassword: 'Copper-Lantern-19', objectId: '3b2e8c4a-9d5f-4eaf-9c73-2f4a6b8c0d03',
    email: 'carol@fabrikam.com', methods: ['email'], ssprEnabled: false, accountEnabled: true, isAdmin: false, writebackFailures: 0,
  },
  {
    username: 'heidi@contoso.com', displayName: 'Heidi Hansen', givenName: 'Heidi', surname: 'Hansen',
    kind: 'account_disabled', note: 'Account disabled: start answers invalid_request 50057.',
    initialPassword: 'Silver-Comet-84', objectId: '4c3f9d5b-ae6a-4fb0-8d84-3a5b7c9d1e04',
    email: 'heidi@fabrikam.com', methods: ['email'], ssprEnabled: true, accountEnabled: false, isAdmin: false, writebackFailures: 0,
  },
  {
    username: 'dave.admin@contoso.com', displayName: 'Dave Davis (admin)', givenName: 'Dave', surname: 'Davis',
    kind: 'admin', note: 'Global administrator: two-gate policy needs two methods, so start answers redirect.',
    initialPassword: 'Granite-Falcon-26', objectId: '5d4a0e6c-bf7b-40c1-9e95-4b6c8d0e2f05',
    email: 'dave@fabrikam.com', methods: ['email', 'mobilePhone'], ssprEnabled: true, accountEnabled: true, isAdmin: true, writebackFailures: 0,
  },
  {
    username: 'frank@contoso.com', displayName: 'Frank Fischer', givenName: 'Frank', surname: 'Fischer',
    kind: 'phone_only', note: 'Only a mobile phone registered, which the native API cannot use: start answers redirect.',
    initialPassword: 'Rocky-Harvest-35', objectId: '6e5b1f7d-c08c-41d2-8fa6-5c7d9e1f3a06',
    methods: ['mobilePhone'], ssprEnabled: true, accountEnabled: true, isAdmin: false, writebackFailures: 0,
  },
  {
    username: 'erin@contoso.com', displayName: 'Erin Evans', givenName: 'Erin', surname: 'Evans',
    kind: 'writeback_fails_once', note: 'On-premises writeback fails on the first submit: poll answers failed, a second submit succeeds.',
    initialPassword: 'Velvet-Orbit-61', objectId: '7f6c2a8e-d19d-42e3-90b7-6d8e0f2a4b07',
    email: 'erin@fabrikam.com', methods: ['email'], ssprEnabled: true, accountEnabled: true, isAdmin: false, writebackFailures: 1,
  },
  {
    username: 'grace@contoso.com', displayName: 'Grace Garcia (Redmond office)', givenName: 'Grace', surname: 'Garcia',
    kind: 'custom_banned', note: "Works at the Redmond office; 'redmond' is on the tenant's custom banned list, so 'Redmond24!' is password_banned.",
    initialPassword: 'Amber-Meadow-47', objectId: '807d3b9f-e2ae-43f4-a1c8-7e9f1a3b5c08',
    email: 'grace@fabrikam.com', methods: ['email'], ssprEnabled: true, accountEnabled: true, isAdmin: false, writebackFailures: 0,
  },
];

export interface DemoUserSummary {
  username: string;
  displayName: string;
  kind: DemoUserKind;
  note: string;
  /** The password the account has when the emulator starts. */
  password: string;
  /** The recovery address the code is sent to, if the account has one. */
  email?: string;
}

/** The seeded accounts, as documented in docs/emulator.md. */
export const DEMO_USERS: readonly Readonly<DemoUserSummary>[] = SEED.map(({ username, displayName, kind, note, initialPassword, email }) =>
  Object.freeze({ username, displayName, kind, note, password: initialPassword, ...(email ? { email } : {}) }),
);

export interface DirectoryUser extends DemoUser {
  password: string;
  writebackFailuresLeft: number;
}

export class Directory {
  private readonly byName = new Map<string, DirectoryUser>();

  constructor(seed: boolean) {
    if (seed) for (const user of SEED) this.add(user);
  }

  /** Adds (or replaces) an account; tests use it for cases the seed does not cover. */
  add(user: DemoUser): DirectoryUser {
    const record: DirectoryUser = { ...user, methods: [...user.methods], password: user.initialPassword, writebackFailuresLeft: user.writebackFailures };
    this.byName.set(user.username.toLowerCase(), record);
    return record;
  }

  /** UPNs are case-insensitive in Entra. */
  find(username: string): DirectoryUser | undefined {
    return this.byName.get(username.trim().toLowerCase());
  }

  get users(): DemoUser[] {
    return [...this.byName.values()].map((u) => ({ ...u, methods: [...u.methods] }));
  }

  passwordOf(username: string): string | undefined {
    return this.find(username)?.password;
  }

  setPassword(username: string, password: string): void {
    const user = this.find(username);
    if (!user) throw new Error(`no such user: ${username}`);
    user.password = password;
  }
}

/** "alice@fabrikam.com" -> "a***e@fa****m.com", the shape of Entra's challenge_target_label. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const maskedLocal = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  const dot = domain.lastIndexOf('.');
  const name = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  const maskedName = name.length <= 3 ? `${name[0]}****` : `${name.slice(0, 2)}****${name[name.length - 1]}`;
  return `${maskedLocal}@${maskedName}${tld}`;
}
