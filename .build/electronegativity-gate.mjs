// Security gate: runs @doyensec/electronegativity over the BUILT app and fails on any finding
// that is not on the allow-list (.build/electronegativity-allowlist.json), where every entry says
// why it is acceptable.
//
//   npm run build && node .build/electronegativity-gate.mjs        (scans dist/main, dist/preload, dist/renderer)
//   node .build/electronegativity-gate.mjs --root <dir>             (scans <dir>/dist/…; tests build into a temp dir)
//   node .build/electronegativity-gate.mjs --input some/dir [--allowlist file.json] [--json]
//
// Exit codes: 0 = no unexplained finding; 1 = findings (or files the scanner could not parse);
// 2 = the gate itself cannot run (nothing built, bad allow-list).
//
// Why not just `electronegativity -i dist -o report.csv`:
// - the CLI exits 0 whatever it finds, so something must read its findings and decide;
// - it only scans .js/.ts/.html files, and our bundles are .cjs, so a plain run over dist/ would
//   scan NOTHING and pass: the gate stages a copy with .cjs/.mjs renamed to .js;
// - with an output file the CLI stays silent about files it failed to parse, which would also
//   pass silently; its programmatic entry (the package's `main`, the same runner the CLI calls)
//   returns both the findings and the parse errors, and the gate fails on the latter too.
// - its parser predates ES2022 and gives up on `#private` class fields (our house style), so the
//   staged JavaScript is lowered to ES2021 with esbuild first. Lowering rewrites syntax only:
//   Electron API calls and their option objects (what the checks look at) stay as they were.
// - some weaknesses it cannot see in our bundles at all: webPreferences built by a helper
//   (secureWebPreferences() returns the object, so `contextIsolation: false` there is invisible
//   to its BrowserWindow checks), and a CSP sent as a header from main. The gate adds its own
//   checks for those (OWN_CHECKS below, ids PHOTOFLARE_*), reported and allow-listed like the
//   scanner's findings;
// - an allow-list entry's "sample" must equal the flagged statement (after esbuild's numeric
//   renames such as import_electron6 → import_electron are normalised), and an entry explains
//   at most "count" findings (default 1): a new shell.openExternal(process.argv[1]) next to a
//   reviewed one is a new finding, not covered by the old entry.
// The AvailableSecurityFixesGlobalCheck is excluded: it downloads Electron's release list (no
// network here, and the answer changes daily). Keeping Electron current is a dependency-update
// job, not something a code gate can decide reproducibly.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const DEFAULT_INPUTS = ['dist/main', 'dist/preload', 'dist/renderer'];
const DEFAULT_ALLOWLIST = join(ROOT, '.build', 'electronegativity-allowlist.json');
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const SCANNED = /\.(c|m)?js$|\.html?$/;
const MIN_REASON_LENGTH = 20;

class GateError extends Error {}

function parseArgs(argv) {
  const args = { inputs: [], root: ROOT, allowlist: DEFAULT_ALLOWLIST, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--input') args.inputs.push(argv[++i]);
    else if (arg === '--allowlist') args.allowlist = argv[++i];
    else if (arg === '--root') args.root = resolve(argv[++i]);
    else if (arg === '--json') args.json = true;
    else throw new GateError(`Unknown argument: ${arg}`);
  }
  return args;
}

/** Read and check the allow-list: every entry needs a check id, a file pattern and a reason. */
export function loadAllowlist(path) {
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new GateError(`Cannot read the allow-list ${path}: ${error.message}`);
  }
  if (!parsed || !Array.isArray(parsed.entries)) throw new GateError(`${path}: expected {"entries": [...]}`);
  return parsed.entries.map((entry, index) => {
    const where = `${path} entry ${index + 1}`;
    if (!entry || typeof entry !== 'object') throw new GateError(`${where}: not an object`);
    if (typeof entry.check !== 'string' || !/^[A-Z0-9_]+$/.test(entry.check)) {
      throw new GateError(`${where}: "check" must be an electronegativity check id such as OPEN_EXTERNAL_JS_CHECK`);
    }
    if (typeof entry.file !== 'string' || entry.file === '') throw new GateError(`${where}: "file" is required (a path or a * pattern)`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH) {
      throw new GateError(`${where}: "reason" is required and must explain why the finding is acceptable`);
    }
    if (entry.sample !== undefined && typeof entry.sample !== 'string') throw new GateError(`${where}: "sample" must be a string`);
    if (entry.count !== undefined && !(Number.isInteger(entry.count) && entry.count > 0))
      throw new GateError(`${where}: "count" must be a positive integer`);
    return { check: entry.check, file: entry.file, sample: entry.sample, count: entry.count ?? 1, reason: entry.reason.trim() };
  });
}

function patternToRegExp(pattern) {
  // `**` matches across folders, `*` within one; everything else is literal.
  const parts = pattern.split('**').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** Code as compared with an allow-list sample: trimmed, esbuild's numeric renames undone. */
function normaliseSample(code) {
  return String(code ?? '')
    .trim()
    .replace(/\b([A-Za-z_$][A-Za-z_$]*?)\d+\b/g, '$1')
    .replace(/\s+/g, ' ');
}

/** Whether an allow-list entry describes a finding (check, file and, if given, the exact statement). */
function entryMatches(entry, finding) {
  return (
    entry.check === finding.check &&
    patternToRegExp(entry.file).test(finding.file) &&
    (entry.sample === undefined || normaliseSample(finding.sample) === normaliseSample(entry.sample))
  );
}

/**
 * The first allow-list entry that explains a finding, or undefined. `used` counts findings
 * already explained per entry: an entry explains at most `count` of them.
 */
export function allowedBy(finding, allowlist, used = new Map()) {
  const entry = allowlist.find((candidate) => entryMatches(candidate, finding) && (used.get(candidate) ?? 0) < (candidate.count ?? 1));
  if (entry) used.set(entry, (used.get(entry) ?? 0) + 1);
  return entry;
}

// --- The gate's own checks (see the header) -------------------------------------------------

/** webPreferences that must never appear with these values anywhere in the shipped code. */
const WEB_PREFERENCE_RULES = [
  { check: 'PHOTOFLARE_CONTEXT_ISOLATION_OFF', pattern: /\bcontextIsolation\s*:\s*(?:false|!1|0)\b/g },
  { check: 'PHOTOFLARE_SANDBOX_OFF', pattern: /\bsandbox\s*:\s*(?:false|!1|0)\b/g },
  { check: 'PHOTOFLARE_WEB_SECURITY_OFF', pattern: /\bwebSecurity\s*:\s*(?:false|!1|0)\b/g },
  {
    check: 'PHOTOFLARE_NODE_IN_PAGE',
    pattern:
      /\b(?:nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|allowRunningInsecureContent|experimentalFeatures|webviewTag)\s*:\s*(?:true|!0|1)\b/g,
  },
];

/** Script sources that defeat a CSP (inline or eval'd script, any host, data: URLs). */
const UNSAFE_SCRIPT_SOURCES = new Set([
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'unsafe-hashes'",
  "'wasm-unsafe-eval'",
  '*',
  'data:',
  'blob:',
  'http:',
  'https:',
  'filesystem:',
]);
/** A `script-src` / `default-src` directive with its sources, up to `;`, a quote ending the string, or a line end. */
const SCRIPT_DIRECTIVE = /\b(script-src(?:-elem|-attr)?|default-src)((?:[ \t]+(?:'[^'\n]*'|[^\s;'"`]+))*)/g;

function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The gate's own findings in one shipped file (original text, so lines match the build). */
export function ownChecks(text, file) {
  const findings = [];
  const add = (check, index, sample, description) =>
    findings.push({
      check,
      file,
      line: lineOf(text, index),
      severity: 'HIGH',
      confidence: 'CERTAIN',
      sample: sample.slice(0, 200),
      description,
    });
  if (/\.(c|m)?js$/.test(file)) {
    for (const rule of WEB_PREFERENCE_RULES) {
      for (const match of text.matchAll(rule.pattern)) {
        add(
          rule.check,
          match.index,
          match[0],
          'A window preference weakens the Electron security checklist (see main/window/security.ts, [Note: Window security]).',
        );
      }
    }
  }
  for (const match of text.matchAll(SCRIPT_DIRECTIVE)) {
    const sources = match[2].trim().split(/\s+/).filter(Boolean);
    const unsafe = sources.filter((source) => UNSAFE_SCRIPT_SOURCES.has(source.toLowerCase()) || source.includes('*'));
    if (unsafe.length > 0) {
      add(
        'PHOTOFLARE_CSP_UNSAFE_SCRIPT',
        match.index,
        match[0],
        `The Content-Security-Policy lets scripts come from ${unsafe.join(', ')}.`,
      );
    }
  }
  return findings;
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'node_modules' ? [] : walk(path)) : [path];
  });
}

/**
 * Copy the inputs into a temporary folder the scanner can read: .cjs/.mjs become .js (it skips
 * other extensions). Returns the folder and a map from staged path back to the real one.
 */
function stage(inputs, baseDir) {
  const stageDir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  const original = new Map();
  const own = [];
  for (const input of inputs) {
    for (const file of walk(input).filter((path) => SCANNED.test(path))) {
      const rel = relative(baseDir, file).split(sep).join('/');
      const staged = rel.replace(/\.(c|m)js$/, '.js');
      const target = join(stageDir, staged);
      mkdirSync(dirname(target), { recursive: true });
      const text = readFileSync(file, 'utf8');
      own.push(...ownChecks(text, rel));
      writeFileSync(target, /\.html?$/.test(file) ? text : lowerForScanner(text, rel));
      original.set(staged, rel);
    }
  }
  return { stageDir, original, own };
}

/** Lower modern syntax the scanner cannot parse (see the header). */
function lowerForScanner(code, name) {
  try {
    return transformSync(code, { loader: 'js', target: 'es2021', format: undefined, sourcefile: name, legalComments: 'none' }).code;
  } catch (error) {
    throw new GateError(`Cannot prepare ${name} for scanning: ${error.message}`);
  }
}

async function scan(stageDir) {
  // The runner reads translations from a global the CLI installs; install it the same way
  // (it tries to fetch newer translations for a second, then uses the bundled English).
  await require('@doyensec/electronegativity/dist/locales/i18n.js')();
  const run = require('@doyensec/electronegativity');
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  return run(
    {
      input: stageDir,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: EXCLUDED_CHECKS,
      customScan: [],
      parserPlugins: [],
    },
    false,
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const allowlist = loadAllowlist(args.allowlist);
  let inputs;
  let baseDir;
  if (args.inputs.length > 0) {
    inputs = args.inputs.map((input) => resolve(input));
    baseDir = inputs.length === 1 ? inputs[0] : process.cwd();
    for (const input of inputs) if (!existsSync(input)) throw new GateError(`No such folder: ${input}`);
  } else {
    // The whole shipped app, or nothing: without the renderer the CSP cannot be checked.
    for (const needed of ['dist/main/index.cjs', 'dist/preload/index.cjs', 'dist/renderer/index.html']) {
      if (!existsSync(join(args.root, needed))) {
        throw new GateError(`Nothing to scan: ${needed} is missing. Run \`npm run build\` first.`);
      }
    }
    inputs = DEFAULT_INPUTS.map((input) => join(args.root, input));
    baseDir = args.root;
  }

  const { stageDir, original, own } = stage(inputs, baseDir);
  let result;
  // The scanner chats on stdout ("Could not retrieve updated translations…"); keep stdout for
  // the gate's own report (and --json) by sending that chatter to stderr.
  const log = console.log;
  console.log = (...parts) => console.error(...parts);
  try {
    result = await scan(stageDir);
  } finally {
    console.log = log;
    rmSync(stageDir, { recursive: true, force: true });
  }

  const back = (file) => original.get(String(file).split(sep).join('/')) ?? String(file);
  const used = new Map();
  const scannerFindings = result.issues.map((issue) => ({
    check: issue.id,
    file: back(issue.file),
    line: issue.location?.line ?? 0,
    severity: issue.severity?.name ?? 'UNKNOWN',
    confidence: issue.confidence?.name ?? 'UNKNOWN',
    sample: typeof issue.sample === 'string' ? issue.sample.slice(0, 200) : undefined,
    description: issue.description,
  }));
  const findings = [...scannerFindings, ...own].map((finding) => {
    const entry = allowedBy(finding, allowlist, used);
    return entry ? { ...finding, allowed: entry.reason } : finding;
  });
  const parseErrors = result.errors
    .filter((error) => !error.tolerable)
    .map((error) => ({ file: back(relative(stageDir, error.file)), message: error.message }));
  const unexplained = findings.filter((finding) => finding.allowed === undefined);
  const unused = allowlist.filter((entry) => !used.has(entry));
  const scanned = original.size;

  if (args.json) {
    process.stdout.write(`${JSON.stringify({ scanned, findings, parseErrors, unusedAllowlistEntries: unused }, null, 2)}\n`);
  } else {
    console.log(
      `electronegativity gate: scanned ${scanned} file(s) from ${inputs.map((input) => relative(baseDir, input) || '.').join(', ')}`,
    );
    for (const finding of findings) {
      const where = `${finding.file}:${finding.line}`;
      if (finding.allowed !== undefined) console.log(`  allowed  ${finding.check} ${where} — ${finding.allowed}`);
      else
        console.log(
          `  FINDING  ${finding.check} [${finding.severity}/${finding.confidence}] ${where}\n           ${finding.description}${finding.sample ? `\n           ${finding.sample}` : ''}`,
        );
    }
    for (const error of parseErrors) console.log(`  UNPARSED ${error.file}: ${error.message}`);
    for (const entry of unused)
      console.log(`  note: allow-list entry ${entry.check} ${entry.file} matched nothing (remove it if the code changed)`);
  }
  if (scanned === 0) throw new GateError('No .js/.cjs/.html files were found to scan.');
  if (unexplained.length > 0 || parseErrors.length > 0) {
    if (!args.json) {
      console.log(
        `\n${unexplained.length} finding(s) not on the allow-list, ${parseErrors.length} unparsed file(s). Fix them, or add an allow-list entry with a reason.`,
      );
    }
    return 1;
  }
  if (!args.json) console.log('electronegativity gate: passed.');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof GateError ? `electronegativity gate: ${error.message}` : error);
      process.exit(2);
    },
  );
}
