// Q: can this be traced back to me? A: no: every string bound for the spool passes through the
// redactor built here. Terminal escapes and zero-width characters go first (they would split a
// secret from its rule); then the values of secret-named environment variables, well-known secret
// formats, git remotes, e-mail addresses, secret key/value pairs and flags, random-looking tokens,
// the working directory, home directories, the repository's names as its remotes spell them, and
// the user, host and project folder names are replaced.
import { homedir, hostname, userInfo } from "node:os";
import { resolve } from "node:path";
import { COMMAND_RULES } from "./command-patterns.js";
import { collectEnvSecrets, replaceEnvValues } from "./env-secrets.js";
import { GENERIC_SECRET_RULES } from "./generic-secret-patterns.js";
import { buildNameRule, collectMachineNames } from "./machine-names.js";
import { PAIR_RULES } from "./pair-patterns.js";
import { buildPathRules, isAncestorOfHome, PATH_GATE } from "./path-patterns.js";
import { trimTrailingSeparators } from "./path-text.js";
import type { RedactionRule } from "./rule.js";
import { EMAIL_RULE } from "./email-pattern.js";
import { REMOTE_RULES } from "./remote-patterns.js";
import { buildRepoRules, readRepoNames, REPO_GATE } from "./repo-names.js";
import { SECRET_RULES } from "./secret-patterns.js";
import { TOKEN_RULES } from "./token-patterns.js";
import { stripInvisible, stripTerminalEscapes } from "./terminal-escapes.js";
import { ALL, BACKSLASH, featuresOf, OTHER, passesGate, type Gate } from "./text-features.js";
import { makeWellFormed } from "./text.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What the redactor knows about this machine; anything missing is simply not redacted by name. */
export interface RedactionContext {
  homeDir?: string | undefined;
  userName?: string | undefined;
  hostName?: string | undefined;
  /** The working directory, or several: the process's and the one the host names (`cwd` option). */
  cwd?: string | readonly (string | undefined)[] | undefined;
  /** One environment or several (`process.env` and the host's `env` option). */
  env?: Env | readonly Env[] | undefined;
  /** The root of the git repository holding the working directory (a monorepo's root). */
  repoRoot?: string | undefined;
}

/** The fixed tables, in the order they run: formats, remotes before e-mail, pairs, commands, random tokens. */
export function patternRules(): readonly RedactionRule[] {
  return [
    ...SECRET_RULES,
    ...TOKEN_RULES,
    ...REMOTE_RULES,
    EMAIL_RULE,
    ...PAIR_RULES,
    ...COMMAND_RULES,
    ...GENERIC_SECRET_RULES,
  ];
}

/** Rules built together on first need (this machine's paths, its names), behind one gate. */
interface RuleGroup {
  readonly gate: Gate;
  readonly build: () => readonly RedactionRule[];
  rules: readonly RedactionRule[] | undefined;
  /** Each rule's pattern, at the rule's position, once compiled. */
  patterns: (RegExp | undefined)[];
}

const NO_GATE: Gate = { needs: 0, minLength: 0 };

function groupOf(build: () => readonly RedactionRule[], gate = NO_GATE): RuleGroup {
  return { gate, build, rules: undefined, patterns: [] };
}

/**
 * Applies the rules in order: secrets before paths, the cwd before home, paths before bare names.
 * The text's features are found again whenever a rule changes it: a gate sees the text as it is.
 */
function applyRules(
  text: string,
  groups: readonly RuleGroup[],
  textFeatures: number,
  skip: boolean,
): string {
  let out = text;
  let features = textFeatures;
  for (const group of groups) {
    if (skip && !passesGate(group.gate, out, features)) continue;
    const rules = (group.rules ??= group.build());
    // Indexed and inline, not for-of and passesGate: this runs for every rule and new text, cold.
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      if (rule === undefined) continue;
      if (skip && !mayMatch(rule, out, features)) continue;
      // Each rule is compiled on its own (separate scans keep V8's literal-prefix search, one
      // alternation loses it), and only once a text passes its gate, marks and hint.
      const pattern = (group.patterns[index] ??= new RegExp(rule.source(), "g"));
      const next = applyRule(out, rule, pattern);
      if (next !== out) features = featuresOf(next);
      out = next;
    }
  }
  return out;
}

/** The rule's gate, marks and hint: necessary conditions for a match, far cheaper than a scan. */
function mayMatch(rule: RedactionRule, text: string, features: number): boolean {
  const gate = rule.gate ?? NO_GATE;
  if (text.length < gate.minLength) return false;
  if (gate.needs !== 0 && (features & gate.needs) === 0) return false;
  if (rule.marks !== undefined && !holdsAny(text, rule.marks)) return false;
  return rule.hint === undefined || rule.hint(text);
}

function applyRule(text: string, rule: RedactionRule, pattern: RegExp): string {
  if (rule.rewrite !== undefined) return rule.rewrite(text, pattern);
  // Labels are plain words: the replacement holds no `$` pattern.
  if (rule.replace === undefined) return text.replace(pattern, `[REDACTED:${rule.label}]`);
  return text.replace(pattern, rule.replace);
}

function holdsAny(text: string, marks: readonly string[]): boolean {
  // Indexed: a for-of loop makes an iterator per call, and this runs cold.
  for (let index = 0; index < marks.length; index++) {
    if (text.includes(marks[index] ?? "")) return true;
  }
  return false;
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
export function createRedactor(
  context: RedactionContext,
  /** A test port: false runs every step and rule on every text, the oracle for the skips. */
  { skipWhatCannotMatch = true }: { skipWhatCannotMatch?: boolean } = {},
): (text: string) => string {
  const skip = skipWhatCannotMatch;
  const homeDir = usablePath(context.homeDir);
  const cwds = listCwds(context.cwd);
  const repoRoots = listCwds(context.repoRoot);
  const envs: readonly (Env | undefined)[] = isEnvList(context.env) ? context.env : [context.env];
  const envSecrets = collectEnvSecrets(envs, [homeDir, ...cwds]);
  const projectDirs = cwds.filter((cwd) => !isAncestorOfHome(cwd, homeDir));
  const roots = repoRoots.filter((root) => !isAncestorOfHome(root, homeDir));
  const machine = { ...context, homeDir, cwds: projectDirs, repoRoots: roots };
  const groups = [
    groupOf(patternRules),
    groupOf(() => buildPathRules({ homeDir, cwds, repoRoots }), PATH_GATE),
    // After the paths (a folder spelled like `org/repo` is `<repo>` by then), before the names,
    // which would take `org` out of `org/repo` and leave the repository's own name.
    groupOf(() => buildRepoRules(readRepoNames(repoRoots[0])), REPO_GATE),
    groupOf(() => {
      const names = collectMachineNames(machine);
      const nameRule = names.length === 0 ? undefined : buildNameRule(names);
      return nameRule === undefined ? [] : [nameRule];
    }),
  ];
  const redact = memoize((text: string): string => {
    try {
      // Escapes hold a control character or a printed `\`, zero-width characters are beyond
      // ASCII (whose texts have every feature); most texts need neither step.
      const features = featuresOf(text);
      const visible = skip && features !== ALL ? text : stripInvisible(text);
      const stripped =
        skip && (features & (OTHER | BACKSLASH)) === 0
          ? visible
          : stripTerminalEscapes(visible, skip);
      const plain = envSecrets.length === 0 ? stripped : replaceEnvValues(stripped, envSecrets);
      return makeWellFormed(
        applyRules(plain, groups, plain === text ? features : featuresOf(plain), skip),
      );
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

function listCwds(cwd: RedactionContext["cwd"]): string[] {
  const list = typeof cwd === "string" || cwd === undefined ? [cwd] : cwd;
  const usable = new Set<string>();
  for (let index = 0; index < list.length; index++) {
    const path = usablePath(list[index]);
    if (path !== undefined) usable.add(path);
  }
  return [...usable];
}

function usablePath(path: string | undefined): string | undefined {
  if (typeof path !== "string" || path.trim() === "") return undefined;
  return path.length > 1 ? trimTrailingSeparators(path) : path;
}

/**
 * Reads the machine facts the redactor needs; each lookup is guarded (they can throw in
 * sandboxes). The host's own `env` and `cwd` options are added to, never replace, the process's.
 * The repository's facts are the session's: it has found the root already.
 */
export function redactionContextFromProcess(
  env: Env,
  cwdOption?: string,
  repo: { readonly root?: string | null | undefined } = {},
): RedactionContext {
  const homeDir = attempt(homedir) ?? nonEmpty(env.HOME ?? env.USERPROFILE);
  const userName =
    attempt(() => userInfo().username) ?? nonEmpty(env.USER ?? env.USERNAME ?? env.LOGNAME);
  const hostName = attempt(hostname) ?? nonEmpty(env.HOSTNAME ?? env.COMPUTERNAME);
  const cwd = attempt(() => process.cwd());
  const option = cwdOption === undefined ? undefined : attempt(() => resolve(cwdOption));
  const envs = env === process.env ? [env] : [env, process.env];
  const repoRoot = repo.root ?? undefined;
  return { homeDir, userName, hostName, cwd: [cwd, option], env: envs, repoRoot };
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
