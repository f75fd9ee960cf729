// cli/commands/index: every `xborder` command, in the order `xborder --help` lists them. Only the words and the
// one-line summary live here; a command's module (and whatever it imports: Redis, Express, forge, Ajv) is loaded
// when that command runs or shows its help, so `xborder --help` and the light commands start at once (issue 15).
import type { CommandEntry } from '../command.js';

export const commands: readonly CommandEntry[] = [
  {
    path: ['start'],
    summary: 'run everything on this machine for a first look (what `npm start` runs)',
    load: async () => (await import('./start-command.js')).startCommand,
  },
  {
    path: ['gateway'],
    summary: 'run the HTTP ingress (API, console, /metrics)',
    load: async () => (await import('./process-commands.js')).gatewayCommand,
  },
  {
    path: ['workers'],
    summary: 'run the BullMQ workers (checks, release, delivery)',
    load: async () => (await import('./process-commands.js')).workersCommand,
  },
  {
    path: ['receiver'],
    summary: "run the reference offshore receiver (a partner's data center)",
    load: async () => (await import('./process-commands.js')).receiverCommand,
  },
  {
    path: ['archiver'],
    summary: 'follow the ledger into the PostgreSQL archive (search beyond retention, reports)',
    load: async () => (await import('./archiver-command.js')).archiverCommand,
  },
  {
    path: ['audit', 'verify'],
    summary: 'verify an audit bundle offline with the gateway certificate',
    load: async () => (await import('./audit-command.js')).auditVerifyCommand,
  },
  {
    path: ['certs', 'init'],
    summary: 'create the development PKI under the data dir (idempotent)',
    load: async () => (await import('./certs-commands.js')).certsInitCommand,
  },
  {
    path: ['certs', 'issue-partner'],
    summary: 'issue a development signing certificate for a partner',
    load: async () => (await import('./certs-commands.js')).certsIssuePartnerCommand,
  },
  {
    path: ['certs', 'verify'],
    summary: 'verify a certificate chain against the trust dir',
    load: async () => (await import('./certs-commands.js')).certsVerifyCommand,
  },
  {
    path: ['token', 'mint'],
    summary: 'print a bearer token signed by the development issuer',
    load: async () => (await import('./token-command.js')).tokenMintCommand,
  },
  {
    path: ['submit'],
    summary: 'submit a transfer (manifest + payload) to the gateway',
    load: async () => (await import('./client-commands.js')).submitCommand,
  },
  {
    path: ['status'],
    summary: "show a transfer's status (--watch follows it)",
    load: async () => (await import('./client-commands.js')).statusCommand,
  },
  {
    path: ['demo'],
    summary: 'submit one sample transfer per tier to a running gateway and show how each ends',
    load: async () => (await import('./demo-command.js')).demoCommand,
  },
  {
    path: ['policy', 'explain'],
    summary: 'classify a manifest file offline and explain the decision',
    load: async () => (await import('./policy-command.js')).policyExplainCommand,
  },
  {
    path: ['policy', 'replay'],
    summary: 'show which recent transfers a draft policy would classify differently',
    load: async () => (await import('./policy-command.js')).policyReplayCommand,
  },
  {
    path: ['inspect'],
    summary: 'inspect a file for personal information and print findings as JSON',
    load: async () => (await import('./inspect-command.js')).inspectCommand,
  },
  {
    path: ['minimise'],
    summary: 'preview a minimisation plan on a file: sample, inspection and tier before and after',
    load: async () => (await import('./minimise-command.js')).minimiseCommand,
  },
  {
    path: ['ledger', 'verify'],
    summary: 'verify the whole ledger against its signed checkpoints',
    load: async () => (await import('./ledger-command.js')).ledgerVerifyCommand,
  },
  {
    path: ['ledger', 'verify-receipt'],
    summary: "verify a transfer's ledger receipt offline",
    load: async () => (await import('./ledger-command.js')).ledgerVerifyReceiptCommand,
  },
];
