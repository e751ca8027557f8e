// `mmsc config check FILE`: the same loading as `mmsc serve` (same errors, same exit status),
// then what parses but will not work as expected (warnings), then the effective settings.
import { ConfigError, formatProblem, loadConfigFile } from '../config/load.js';
import { formatEffectiveConfig } from '../config/print.js';
import { keyName } from '../config/schema-walk.js';
import { configWarnings } from '../config/warnings.js';
import { CONFIG_INVALID } from './load-config.js';

/** 0 and the effective settings as YAML (warnings on stderr), or CONFIG_INVALID (2) and what is wrong. */
export function checkConfig(file: string): number {
  let loaded;
  try {
    loaded = loadConfigFile(file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return CONFIG_INVALID;
  }
  for (const w of configWarnings(loaded.config)) {
    const line = loaded.lineOf(w.path);
    process.stderr.write(`${formatProblem(file, { key: keyName(w.path), ...(line !== undefined ? { line } : {}), message: `warning: ${w.message}` })}\n`);
  }
  // A YAML document, the verdict a comment: loadable as a config (but for masked secrets).
  process.stdout.write(`# ${file}: OK\n# the effective settings: the file with every default filled in\n${formatEffectiveConfig(loaded.config)}`);
  return 0;
}
