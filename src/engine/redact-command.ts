import type { Command } from '../domain/commands.js';
import { redactor, type Redactor } from './redact.js';

/**
 * What people type is redacted like what steps print, before it is decided, stored or posted: a
 * token pasted into a note must not sit in the stream and the thread. Parameters are not touched:
 * a runbook needs their values as given.
 */
let processRedactor: Redactor | undefined;

export function redactTyped(
  command: Command,
  redact: Redactor = (processRedactor ??= redactor(process.env)),
): Command {
  switch (command.type) {
    case 'Declare':
      return { ...command, summary: redact(command.summary) };
    case 'AddNote':
      return { ...command, text: redact(command.text) };
    case 'Abort':
      return { ...command, reason: redact(command.reason) };
    case 'ConfirmManual':
      return { ...command, note: redact(command.note) };
    default:
      return command;
  }
}
