import { z } from 'zod';
import { actionContract } from '../contract.js';
import { backupFilter } from './inputs.js';

export const listBackupsContract = actionContract({
  name: 'velero.list-backups',
  summary: 'Completed Velero backups, newest first, as choices for a param (choicesFrom)',
  readOnly: true,
  timeout: '5m',
  input: z.strictObject(backupFilter),
  result: {
    choices: 'the backups as [{ value: name, label, description }], newest first, at most 100',
    count:
      'backups offered: Completed, holding objects of the namespace if one is given (may be more than the choices)',
  },
});
