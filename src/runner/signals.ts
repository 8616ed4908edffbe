// Kept only for src/cli/commands/run-command.ts until it imports ../../util/signals.js; then delete.
export { guardSignals, type SignalGuard } from '../util/signals.js';
