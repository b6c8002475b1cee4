#!/usr/bin/env node
// The `4m` bin: loads the TypeScript CLI through tsx (a dependency), then runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./index.ts');
process.exitCode = await main(process.argv.slice(2));
