#!/usr/bin/env node
/**
 * `lede`, the command of the package (docs/command-line.md): turns on
 * Node's compile cache (`module.enableCompileCache`, a public API since Node
 * 22.1: the compiled code of Lede and its dependencies kept on disk, so a
 * second start compiles none of it), then loads the commands
 * (src/commands.ts), which only then load what they need.
 */
import module from 'node:module';

// Optional-called: Node 20, which the engines field no longer allows, has no such function; it still starts.
module.enableCompileCache?.();
const { runLede } = await import('./commands.js');
await runLede(process.argv.slice(2));
