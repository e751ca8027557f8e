// `mmsc` outside the project folder, installed the ways npm installs a command: a packed
// package (npm pack, then npm install -g of the tarball) must carry the compiled code and the
// WASM codecs and run from anywhere; npm install -g of the folder (what npm link does) puts a
// symlink on the PATH whose target still finds its dist/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SMS = '07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07';

function npm(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('mmsc installed as a command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-install-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('npm pack: the tarball holds bin, dist and the WASM codecs, and runs from anywhere', () => {
    // --ignore-scripts: pack what `npm test` built (prepack would run the same build)
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir])) as { filename: string; files: { path: string }[] }[];
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([
      'bin/mmsc.js', 'dist/src/cli/main.js', 'dist/src/app.js', 'dist/assembly/shared/sms-layout.js', 'build/mms.wasm', 'build/sms.wasm',
      'firmware-config/mmsc.example.yaml', 'systemd/mmsc.service',
    ]));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('dist/bench/'))).toEqual([]);

    // installed: the tarball unpacked with its runtime dependencies beside it
    const pkg = join(dir, 'installed');
    mkdirSync(pkg);
    execFileSync('tar', ['xzf', join(dir, packed.filename), '-C', pkg]);
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'package/node_modules'));
    const bin = join(pkg, 'package/bin/mmsc.js');
    expect(execFileSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(execFileSync(bin, ['decode', '--hex', SMS, '--full'], { cwd: dir, encoding: 'utf8' })).toContain('"How are you?"');
  }, 60_000);

  it('npm install -g <folder> (npm link): the command on the PATH is a symlink that finds dist/', () => {
    const prefix = join(dir, 'prefix');
    npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', '--offline', '--no-audit', '--no-fund', ROOT]);
    const bin = join(prefix, 'bin/mmsc');
    expect(execFileSync(bin, ['--version'], { cwd: dir, encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(execFileSync(bin, ['decode', '--hex', SMS, '--full'], { cwd: dir, encoding: 'utf8' })).toContain('"How are you?"');
  }, 60_000);
});
