// Q: can this be traced back to me? A: no: every string bound for the spool passes through the
// redactor built here. Terminal escapes go first (they would split a secret from its rule); then
// it blanks the values of secret-named environment variables, well-known secret formats, e-mail
// addresses, the working directory, home directories, the user name and the hostname. Rule: the cwd becomes `<cwd>` whole (it names the project) unless it is home or
// above it; other paths under a home become `~/…`; the user name and hostname become `<user>` and
// `<host>` wherever they stand as a word (≥ 3 characters, generic account names like `root` kept).
import { homedir, hostname, userInfo } from "node:os";
import { basename } from "node:path";
import { collectEnvSecrets, replaceEnvValues } from "./env-secrets.js";
import { buildPathRules } from "./path-patterns.js";
import { GENERIC_SECRET_RULES } from "./generic-secret-patterns.js";
import { SECRET_RULES, type RedactionRule } from "./secret-patterns.js";
import { stripTerminalEscapes } from "./terminal-escapes.js";
import { makeWellFormed } from "./text.js";

/** What the redactor knows about this machine; anything missing is simply not redacted by name. */
export interface RedactionContext {
  homeDir?: string | undefined;
  userName?: string | undefined;
  hostName?: string | undefined;
  cwd?: string | undefined;
  /** One environment or several (`process.env` and the host's `env` option). */
  env?: Env | readonly Env[] | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_NAME_LENGTH = 3;
// Generic account and machine names: replacing them would blank ordinary words, not identify anyone.
const COMMON_NAMES = new Set(
  [
    "root user admin administrator runner node ubuntu debian docker ec2-user vagrant guest app",
    "build builder jenkins circleci codespace vscode localhost local host server default worker",
  ]
    .join(" ")
    .split(" "),
);

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

/**
 * Builds the redactor once per process; patterns are compiled on first need, and the returned
 * function only scans. The returned function never throws; if scanning fails it returns a placeholder, never the input.
 */
export function createRedactor(context: RedactionContext): (text: string) => string {
  const homeDir = usablePath(context.homeDir);
  const cwd = usablePath(context.cwd);
  const envs: readonly (Env | undefined)[] = isEnvList(context.env) ? context.env : [context.env];
  const envSecrets = collectEnvSecrets(envs, [homeDir, cwd]);
  const compiled = compileRules([
    ...SECRET_RULES,
    ...GENERIC_SECRET_RULES,
    ...buildPathRules({ homeDir, cwd, names: collectNames({ ...context, homeDir }) }),
  ]);
  const redact = memoize((text: string): string => {
    try {
      const plain = replaceEnvValues(stripTerminalEscapes(text), envSecrets);
      return makeWellFormed(applyRules(plain, compiled));
    } catch {
      // A pathological input (e.g. a regex stack overflow) must not leak the raw text.
      return "[REDACTED:unprocessable]";
    }
  });
  return (text: string): string => (typeof text === "string" ? redact(text) : "");
}

function isEnvList(env: RedactionContext["env"]): env is readonly Env[] {
  try {
    return Array.isArray(env);
  } catch {
    // Array.isArray throws on a revoked Proxy; such an env is read as one (unreadable) object.
    return false;
  }
}

function usablePath(path: string | undefined): string | undefined {
  if (typeof path !== "string" || path.trim() === "") return undefined;
  return path.length > 1 ? path.replace(/[\\/]+$/, "") : path;
}

/**
 * Reads the machine facts the redactor needs; each lookup is guarded (they can throw in
 * sandboxes). The host's own `env` option is added to, never replaces, the process's.
 */
export function redactionContextFromProcess(env: Env): RedactionContext {
  const homeDir = attempt(() => homedir()) ?? nonEmpty(env.HOME ?? env.USERPROFILE);
  const userName =
    attempt(() => userInfo().username) ?? nonEmpty(env.USER ?? env.USERNAME ?? env.LOGNAME);
  const hostName = attempt(() => hostname()) ?? nonEmpty(env.HOSTNAME ?? env.COMPUTERNAME);
  const cwd = attempt(() => process.cwd());
  const envs = env === process.env ? [env] : [env, process.env];
  return { homeDir, userName, hostName, cwd, env: envs };
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
