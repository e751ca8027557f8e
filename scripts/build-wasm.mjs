// Compiles each WASM module (assembly/<name>/index.ts -> build/<name>.wasm, release and debug).
// Usage: node scripts/build-wasm.mjs [name...]   (default: all modules)
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export const MODULES = ['mms', 'sms'];
const names = process.argv.length > 2 ? process.argv.slice(2) : MODULES;
mkdirSync('build', { recursive: true });
for (const name of names) {
  for (const [target, suffix] of [['release', ''], ['debug', '.debug']]) {
    execFileSync(
      process.execPath,
      ['node_modules/assemblyscript/bin/asc.js', `assembly/${name}/index.ts`, '--config', 'asconfig.json',
        '--target', target, '--outFile', `build/${name}${suffix}.wasm`],
      { stdio: 'inherit' },
    );
  }
}
