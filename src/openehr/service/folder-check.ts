import { AppError } from '../../errors/app-error.js';
import { checkRmStructure } from '../rm/rm-structure-check.js';
import type { JsonObject } from '../../shared/json.js';

/** A FOLDER (directory) body checked against the RM; 400 listing every problem otherwise. */
export function checkedFolder(folder: unknown): JsonObject {
  const issues = checkRmStructure(folder, 'FOLDER');
  if (issues.length > 0) {
    throw new AppError('bad-request', 'The FOLDER is not valid.', {
      issues: issues.map((issue) => ({ path: issue.path, message: issue.message })),
    });
  }
  return { ...(folder as JsonObject), _type: 'FOLDER' };
}
