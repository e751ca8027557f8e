// How every command reads its configuration: a bad file prints the ConfigError (file, line, key,
// expectation) and the command exits CONFIG_INVALID, never with a stack trace.
import { ConfigError, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';

/**
 * The exit status of every command (`serve`, `config check`, `messages`, `modems`...) for a
 * configuration file it refuses: the same for the same bad file, whichever command read it.
 */
export const CONFIG_INVALID = 2;

/** The config, or undefined after the problem was printed with `say` (stderr by default). */
export function configOrReport(file: string | undefined, say: (text: string) => void = (t) => void process.stderr.write(`${t}\n`)): Config | undefined {
  try {
    return loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError) {
      say(e.message);
      return undefined;
    }
    throw e;
  }
}
