#!/usr/bin/env node
// Entry point for `rollcall`: registers the TypeScript loader (scenarios are .ts files too),
// then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
