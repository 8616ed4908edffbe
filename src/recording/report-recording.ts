// Placeholder replaced below.
import { UsageError } from '../util/errors.js';
import type { Recording } from './recording-model.js';
export function reportRecording(_report: object, file: string, _opts: object): Recording {
  throw new UsageError(`${file}: report.json input is not supported yet`);
}
