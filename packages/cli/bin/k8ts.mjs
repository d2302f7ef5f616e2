#!/usr/bin/env node
// The k8ts multi-call binary. Sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
