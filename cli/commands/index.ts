// cli/commands/index: every `xborder` command, in the order `xborder --help` lists them.
import type { Command } from '../command.js';
import { certsInitCommand, certsIssuePartnerCommand, certsVerifyCommand } from './certs-commands.js';
import { statusCommand, submitCommand } from './client-commands.js';
import { demoCommand } from './demo-command.js';
import { inspectCommand } from './inspect-command.js';
import { ledgerVerifyCommand, ledgerVerifyReceiptCommand } from './ledger-command.js';
import { policyExplainCommand, policyReplayCommand } from './policy-command.js';
import { gatewayCommand, receiverCommand, workersCommand } from './process-commands.js';
import { startCommand } from './start-command.js';
import { tokenMintCommand } from './token-command.js';

export const commands: readonly Command[] = [
  startCommand,
  gatewayCommand,
  workersCommand,
  receiverCommand,
  certsInitCommand,
  certsIssuePartnerCommand,
  certsVerifyCommand,
  tokenMintCommand,
  submitCommand,
  statusCommand,
  demoCommand,
  policyExplainCommand,
  policyReplayCommand,
  inspectCommand,
  ledgerVerifyCommand,
  ledgerVerifyReceiptCommand,
];
