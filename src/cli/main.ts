// The `mmsc` command. Each subcommand imports what it needs lazily, so `mmsc decode` does not
// open LMDB and `mmsc serve` does not load the CLI's JSON printers.
import { Command, Option } from 'commander';

const program = new Command();
program.name('mmsc').description('MMS centre (MMS Relay/Server) for small networks and MMS islands').version('0.1.0');

program
  .command('serve')
  .description('run the MMSC (MM1 on HTTP, relay, bearer) until SIGTERM')
  .option('-c, --config <file>', 'YAML configuration file (default: built-in defaults)')
  .action(async (opts: { config?: string }) => {
    const { serve } = await import('./serve.js');
    process.exitCode = await serve(opts);
  });

const messages = program.command('messages').description('inspect stored messages');
messages
  .command('list')
  .option('-c, --config <file>', 'YAML configuration file')
  .option('-n, --limit <n>', 'newest N messages', '50')
  .action(async (opts: { config?: string; limit: string }) => {
    const { listMessages } = await import('./messages.js');
    process.exitCode = await listMessages(opts);
  });
messages
  .command('show')
  .argument('<id>', 'Message-ID')
  .option('-c, --config <file>', 'YAML configuration file')
  .action(async (id: string, opts: { config?: string }) => {
    const { showMessage } = await import('./messages.js');
    process.exitCode = await showMessage(id, opts);
  });

program
  .command('config')
  .description('configuration file tools')
  .command('check')
  .argument('<file>', 'YAML configuration file')
  .description('validate a configuration file and print the effective settings')
  .action(async (file: string) => {
    const { checkConfig } = await import('./config-check.js');
    process.exitCode = checkConfig(file);
  });

program
  .command('decode')
  .description('print an MMS PDU, WAP push or SMS TPDU as JSON (type auto-detected)')
  .argument('[file]', 'file with the PDU bytes, or - for stdin')
  .option('--hex <hex>', 'the PDU as hex instead of a file')
  .addOption(new Option('--as <kind>', 'decode as this kind instead of guessing').choices(['mms', 'push', 'sms']))
  .option('--sca', 'SMS: the bytes start with the SMSC address (AT PDU mode)', false)
  .addOption(new Option('--direction <dir>', 'SMS: MT (to the phone) or MO (from the phone)').choices(['MT', 'MO']).default('MT'))
  .action(async (file: string | undefined, opts: { hex?: string; as?: 'mms' | 'push' | 'sms'; sca: boolean; direction: 'MT' | 'MO' }) => {
    const { decodeCommand } = await import('./codec-commands.js');
    process.exitCode = await decodeCommand(file, opts);
  });

program
  .command('encode')
  .description('turn the JSON that `mmsc decode` prints back into bytes')
  .argument('[file]', 'JSON file, or - for stdin', '-')
  .option('--out <file>', 'write the bytes to a file (default: hex on stdout)')
  .action(async (file: string, opts: { out?: string }) => {
    const { encodeCommand } = await import('./codec-commands.js');
    process.exitCode = await encodeCommand(file, opts);
  });

await program.parseAsync(process.argv);
