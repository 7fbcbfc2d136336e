// Q: can this be traced back to me? A: no: every string bound for the spool passes through the
// redactor built here. It blanks the values of secret-named environment variables, well-known
// secret formats, e-mail addresses, the working directory, home directories, the user name and
// the hostname. Rule: the cwd becomes `<cwd>` whole (it names the project) unless it is home or
// above it; other paths under a home become `~/…`; the user name and hostname become `<user>` and
// `<host>` wherever they stand as a word (≥ 3 characters, generic account names like `root` kept).
import { homedir, hostname, userInfo } from "node:os";
import { basename } from "node:path";
import { buildPathRules } from "./path-patterns.js";
import { GENERIC_SECRET_RULES } from "./generic-secret-patterns.js";
import { SECRET_RULES, type RedactionRule } from "./secret-patterns.js";
import { makeWellFormed } from "./text.js";

/** What the redactor knows about this machine; anything missing is simply not redacted by name. */
export interface RedactionContext {
  homeDir?: string | undefined;
  userName?: string | undefined;
  hostName?: string | undefined;
  cwd?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

type Env = Readonly<Record<string, string | undefined>>;

const SECRET_ENV_NAME =
  /TOKEN|SECRET|KEY|PASSWORD|PASSWD|_PWD$|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|^DATABASE_URL$|(?:^|_)DSN$|CONN\w*STRING/;
// Shorter values would blank ordinary words wherever they occur.
const MIN_ENV_VALUE_LENGTH = 8;
const MIN_NAME_LENGTH = 3;
const COMMON_VALUES = new Set(
  "production development staging undefined disabled enabled localhost default unknown".split(" "),
);
// Generic account and machine names: replacing them would blank ordinary words, not identify anyone.
const COMMON_NAMES = new Set(
  [
    "root user admin administrator runner node ubuntu debian docker ec2-user vagrant guest app",
    "build builder jenkins circleci codespace vscode localhost local host server default worker",
  ]
    .join(" ")
    .split(" "),
);

interface EnvSecret {
  readonly value: string;
  readonly replacement: string;
}

/** Collects the values of secret-named variables, longest first so a value inside another goes second. */
function collectEnvSecrets(
  env: Env | undefined,
  skip: readonly (string | undefined)[],
): EnvSecret[] {
  const secrets: EnvSecret[] = [];
  try {
    for (const [name, value] of Object.entries(env ?? {})) {
      if (typeof value !== "string" || !SECRET_ENV_NAME.test(name.toUpperCase())) continue;
      if (!isDistinctiveValue(value) || skip.includes(value)) continue;
      const safeName = name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 64);
      secrets.push({ value, replacement: `[REDACTED:env:${safeName}]` });
    }
  } catch {
    // An exotic env object (a Proxy, a throwing getter) leaves only the pattern rules in force.
  }
  return secrets.sort((a, b) => b.value.length - a.value.length);
}

function isDistinctiveValue(value: string): boolean {
  if (value.trim().length < MIN_ENV_VALUE_LENGTH) return false;
  if (/^\d{1,9}$/.test(value)) return false;
  return !COMMON_VALUES.has(value.toLowerCase());
}

/** The user and host names worth replacing: the given ones, the home dir's last segment, a host's first label. */
function collectNames(context: RedactionContext) {
  const names: { text: string; replacement: string }[] = [];
  const add = (text: string | undefined, replacement: string) => {
    const trimmed = text?.trim();
    if (trimmed === undefined || trimmed.length < MIN_NAME_LENGTH) return;
    if (COMMON_NAMES.has(trimmed.toLowerCase())) return;
    if (names.some((name) => name.text.toLowerCase() === trimmed.toLowerCase())) return;
    names.push({ text: trimmed, replacement });
  };
  add(context.userName, "<user>");
  const home = context.homeDir;
  if (home !== undefined && /[\\/](?:home|users)[\\/][^\\/]+[\\/]?$/i.test(home)) {
    add(basename(home.replace(/[\\/]+$/, "").replace(/\\/g, "/")), "<user>");
  }
  add(context.hostName, "<host>");
  add(context.hostName?.split(".")[0], "<host>");
  return names.sort((a, b) => b.text.length - a.text.length);
}

interface CompiledRule {
  pattern: RegExp | undefined;
  readonly rule: RedactionRule;
}

/**
 * Each rule is compiled on its own (separate scans keep V8's literal-prefix search, one
 * alternation loses it), and only once a text passes its hint: most runs never need most rules.
 */
function compileRules(rules: readonly RedactionRule[]): CompiledRule[] {
  return rules.map((rule) => ({ pattern: undefined, rule }));
}

/** Applies the rules in order: secrets before paths, the cwd before home, paths before bare names. */
function applyRules(text: string, compiled: readonly CompiledRule[]): string {
  let out = text;
  for (const entry of compiled) {
    const { rule } = entry;
    if (rule.hint !== undefined && !rule.hint(out)) continue;
    entry.pattern ??= new RegExp(rule.source, "g");
    out = out.replace(entry.pattern, rule.replace);
  }
  return out;
}

/** Resource names and types repeat across a run's events; short texts are redacted once. */
const MEMO_MAX_CHARS = 256;
const MEMO_MAX_ENTRIES = 512;

function memoize(redact: (text: string) => string): (text: string) => string {
  const memo = new Map<string, string>();
  return (text) => {
    if (text.length > MEMO_MAX_CHARS) return redact(text);
    let result = memo.get(text);
    if (result === undefined) {
      if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
      result = redact(text);
      memo.set(text, result);
    }
    return result;
  };
}

function replaceEnvValues(text: string, secrets: readonly EnvSecret[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.value.length <= out.length && out.includes(secret.value)) {
      out = out.split(secret.value).join(secret.replacement);
    }
  }
  return out;
}

/**
 * Builds the redactor once per process; patterns are compiled on first need, and the returned
 * function only scans. The returned function never throws; if scanning fails it returns a placeholder, never the input.
 */
export function createRedactor(context: RedactionContext): (text: string) => string {
  const homeDir = usablePath(context.homeDir);
  const cwd = usablePath(context.cwd);
  const envSecrets = collectEnvSecrets(context.env, [homeDir, cwd]);
  const compiled = compileRules([
    ...SECRET_RULES,
    ...GENERIC_SECRET_RULES,
    ...buildPathRules({ homeDir, cwd, names: collectNames({ ...context, homeDir }) }),
  ]);
  const redact = memoize((text: string): string => {
    try {
      return makeWellFormed(applyRules(replaceEnvValues(text, envSecrets), compiled));
    } catch {
      // A pathological input (e.g. a regex stack overflow) must not leak the raw text.
      return "[REDACTED:unprocessable]";
    }
  });
  return (text: string): string => (typeof text === "string" ? redact(text) : "");
}

function usablePath(path: string | undefined): string | undefined {
  if (typeof path !== "string" || path.trim() === "") return undefined;
  return path.length > 1 ? path.replace(/[\\/]+$/, "") : path;
}

/** Reads the machine facts the redactor needs; each lookup is guarded (they can throw in sandboxes). */
export function redactionContextFromProcess(env: Env): RedactionContext {
  const homeDir = attempt(() => homedir()) ?? nonEmpty(env.HOME ?? env.USERPROFILE);
  const userName =
    attempt(() => userInfo().username) ?? nonEmpty(env.USER ?? env.USERNAME ?? env.LOGNAME);
  const hostName = attempt(() => hostname()) ?? nonEmpty(env.HOSTNAME ?? env.COMPUTERNAME);
  const cwd = attempt(() => process.cwd());
  return { homeDir, userName, hostName, cwd, env };
}

function attempt(read: () => string): string | undefined {
  try {
    return nonEmpty(read());
  } catch {
    // os.homedir(), userInfo() and process.cwd() throw without HOME/passwd entry or a deleted cwd.
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
