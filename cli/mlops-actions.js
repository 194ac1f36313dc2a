#!/usr/bin/env node
// `npx mlops-actions`: runs the ncc bundle of cli/src/index.ts.
import './dist/index.js';
