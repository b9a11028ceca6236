#!/usr/bin/env node
// The `liaison` command. Registers tsx so the TypeScript sources run without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
