// Placeholder replaced below.
import { UsageError } from '../util/errors.js';
import type { Recording } from './recording-model.js';
export function parseKwokRecording(_text: string, file: string): Recording {
  throw new UsageError(`${file}: KWOK input is not supported yet`);
}
