// The `mmsc` command. Each subcommand imports what it needs lazily, so `mmsc decode` does not
// open LMDB and `mmsc serve` does not load the CLI's JSON printers.
import { Command, InvalidArgumentError, Option } from 'commander';

// A reader that stops early (`mmsc messages list | head`) closes the pipe: that is no error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});

/** `-n`: a whole number of messages, 1 or more. */
function parseLimit(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number of messages, 1 or more (e.g. -n 50)');
  return Number(value);
}

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
  .description('the newest messages, each with its recipients\' delivery states')
  .option('-c, --config <file>', 'YAML configuration file')
  .option('-n, --limit <n>', 'newest N messages', parseLimit, 50)
  .action(async (opts: { config?: string; limit: number }) => {
    const { listMessages } = await import('./messages.js');
    process.exitCode = await listMessages(opts);
  });
messages
  .command('show')
  .description('one message as JSON: headers, parts, deliveries with their notification and history')
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
  .description('summarise an MMS PDU, WAP push or SMS TPDU (type auto-detected): headers, parts, text')
  .argument('[file]', 'file with the PDU bytes (or their hex), or - for stdin')
  .option('--hex <hex>', 'the PDU as hex instead of a file')
  .addOption(new Option('--as <kind>', 'decode as this kind instead of guessing').choices(['mms', 'push', 'sms']))
  .option('--sca', 'SMS: the bytes start with the SMSC address (AT PDU mode)', false)
  .addOption(new Option('--direction <dir>', 'SMS: MT (to the phone) or MO (from the phone)').choices(['MT', 'MO']).default('MT'))
  .addOption(new Option('--full', 'every field as JSON, with the bytes in hex (what `mmsc encode` takes back)').conflicts('extract'))
  .option('--extract <dir>', "write the MMS's parts into DIR as files, named as the message names them")
  .action(async (file: string | undefined, opts: { hex?: string; as?: 'mms' | 'push' | 'sms'; sca: boolean; direction: 'MT' | 'MO'; full?: boolean; extract?: string }) => {
    const { decodeCommand } = await import('./codec-commands.js');
    process.exitCode = await decodeCommand(file, opts);
  });

program
  .command('encode')
  .description('turn the JSON that `mmsc decode --full` prints back into bytes')
  .argument('[file]', 'JSON file, or - for stdin', '-')
  .option('--out <file>', 'write the bytes to a file (default: hex on stdout)')
  .action(async (file: string, opts: { out?: string }) => {
    const { encodeCommand } = await import('./codec-commands.js');
    process.exitCode = await encodeCommand(file, opts);
  });

const modem = program.command('modem').description('one GSM modem on a serial port (or a simulated one)');
modem
  .command('probe')
  .argument('<port>', 'the AT port, e.g. /dev/ttyUSB2')
  .description('identity, SIM, registration, operator, signal and SMSC of the modem')
  .option('--pin <pin>', 'SIM PIN, entered when the SIM asks for it')
  .option('--json', 'print JSON', false)
  .action(async (port: string, opts: { pin?: string; json: boolean }) => {
    const { modemProbeCommand } = await import('../bearer/modem/cli.js');
    process.exitCode = await modemProbeCommand(port, opts);
  });
modem
  .command('send')
  .argument('<port>', 'the AT port')
  .description('send one SMS (segmented as needed)')
  .requiredOption('--to <number>', 'recipient, e.g. +4790000001')
  .requiredOption('--text <text>', 'the text')
  .option('--pin <pin>', 'SIM PIN')
  .option('--status-report', 'ask the network for a status report', false)
  .action(async (port: string, opts: { to: string; text: string; pin?: string; statusReport: boolean }) => {
    const { modemSendCommand } = await import('../bearer/modem/cli.js');
    process.exitCode = await modemSendCommand(port, opts);
  });
modem
  .command('simulate')
  .description('virtual modems on pseudo-terminals (socat) and a virtual phone, until Ctrl-C')
  .option('--dir <folder>', 'folder for the pty links (default: a new temporary one)')
  .option('--dialect <names>', 'one modem per dialect, comma-separated (huawei, simcom, quectel, sierra, generic)', 'huawei')
  .option('--phone <number>', 'number of the virtual phone', '+15559990000')
  .action(async (opts: { dir?: string; dialect: string; phone: string }) => {
    const { modemSimulateCommand } = await import('../bearer/modem/cli.js');
    const sim = await modemSimulateCommand({ ...(opts.dir ? { dir: opts.dir } : {}), dialects: opts.dialect.split(',').map((d) => d.trim()).filter(Boolean), phone: opts.phone });
    process.stdout.write('simulating; Ctrl-C to stop\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await sim.stop();
    process.exit(0);
  });

program
  .command('modems')
  .description("the modem pool's modems with their state, as the running server recorded it")
  .option('-c, --config <file>', 'YAML configuration file')
  .option('--json', 'print JSON', false)
  .action(async (opts: { config?: string; json: boolean }) => {
    const { listModems } = await import('./modems.js');
    process.exitCode = await listModems(opts);
  });

program
  .command('doctor')
  .description('what is wrong with this box and how to fix it (exit 1 when something is)')
  .option('-c, --config <file>', 'YAML configuration file')
  .option('--json', 'print JSON', false)
  .action(async (opts: { config?: string; json: boolean }) => {
    const { doctorCommand } = await import('./doctor.js');
    process.exitCode = await doctorCommand(opts);
  });

program
  .command('demo')
  .description('one MMS from phone A to phone B through an MMSC and the simulated modems, step by step')
  .option('-c, --config <file>', 'YAML configuration file (its simulator and relay settings are used; the store is a temporary one)')
  .option('--air-time <duration>', 'air time per SMS, e.g. 300ms')
  .option('--timeout <duration>', 'longest wait for each step', '30s')
  .action(async (opts: { config?: string; airTime?: string; timeout: string }) => {
    const { runDemo } = await import('./demo.js');
    // Exit at once: the phones' idle HTTP keep-alive connections would hold the process a few seconds.
    process.exit(await runDemo(opts));
  });

await program.parseAsync(process.argv);
