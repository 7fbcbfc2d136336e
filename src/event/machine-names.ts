// Q: can this be traced back to me? A: not through a name of this machine: the user name, the
// hostname and the project folder's name become `<user>`, `<host>` and `<cwd>` wherever they stand
// as a word, after an escape or glued to one (`alice_backups`, `alice2`, `aliceStaging`), and so do the chosen
// names of the folders above the project (`/srv/clients/globex-co/app-9`: `globex-co` → `<dir>`). Names that are
// ordinary words or shared by many machines (`root`, `runner`, `deploy`, `api`) identify no one
// and are kept, so that "deploy failed" stays readable.
import { encodeComponent, isInHomesFolder, isSameOrInside, lastSegment } from "./path-text.js";
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./rule.js";

export interface MachineName {
  readonly text: string;
  readonly replacement: string;
}

// Three letters are a name (`bob`, `zoe`); the common-name list keeps ordinary words readable.
const MIN_NAME_LENGTH = 3;
// Generic account, machine and folder names: replacing them would blank ordinary words. One
// string between blanks, searched, rather than a set built at the first text.
const COMMON_NAMES =
  " root user users admin administrator runner runneradmin node ubuntu debian centos fedora alpine" +
  " docker ec2-user vagrant guest app apps api build builder jenkins circleci codespace codespaces" +
  " vscode localhost local host server default worker deploy deployer prod production staging" +
  " stage test tests testing dev devel develop development master main web www mail home linux" +
  " darwin windows macbook desktop laptop workstation devbox sandbox container runner-admin" +
  " github gitlab bitbucket azure cloud service services backend frontend client website site" +
  " project projects workspace workspaces code repos repo source packages package infra demo" +
  " example examples playground monorepo alchemy temp work internal public private lan corp" +
  " my-app my-project hello-world node_modules ";

/** A name worth replacing: long enough and not an ordinary word. */
export function isDistinctiveName(name: string): boolean {
  if (name.length < MIN_NAME_LENGTH) return false;
  const lower = name.toLowerCase();
  // No common name holds a blank: one with a blank is never common.
  return lower.includes(" ") || !COMMON_NAMES.includes(` ${lower} `);
}

/**
 * A project folder's name worth replacing: distinctive and shaped like a chosen name (a digit,
 * `-` or `_`, or eight characters or more), not like a word anyone would use.
 */
export function isDistinctiveFolderName(name: string): boolean {
  return isDistinctiveName(name) && (hasDigitDashOrUnderscore(name) || name.length >= 8);
}

// Folders that many machines have on the way to a project; any other chosen name names someone's.
const COMMON_FOLDERS =
  " projects projekte projets proyectos progetti documents dokumente downloads onedrive developer" +
  " developers repositories repository applications customers programming software personal" +
  " checkouts worktrees sources ";

/** A folder above the project worth replacing: chosen like a project name, holding two letters. */
function isDistinctiveAncestorName(name: string): boolean {
  if (!isDistinctiveFolderName(name) || COMMON_FOLDERS.includes(` ${name.toLowerCase()} `)) {
    return false;
  }
  // `2024`, `v1.2`: a number or a version names no one, and would blank dates and versions.
  return countLetters(name) >= 2;
}

/** ASCII letters, and every character beyond ASCII (most are letters). */
function countLetters(name: string): number {
  let letters = 0;
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index) | 32;
    if ((code >= 97 && code <= 122) || code > 127) letters++;
  }
  return letters;
}

/** The folders of `dir` below home, or all of them; split natively: this runs cold, once. */
function foldersBelowHome(dir: string, homeDir: string | undefined): string[] {
  const folders = slashed(dir).split("/");
  if (homeDir === undefined || !isSameOrInside(dir, homeDir)) return folders;
  return folders.slice(slashed(homeDir).split("/").length);
}

function slashed(path: string): string {
  return path.includes("\\") ? path.replaceAll("\\", "/") : path;
}

/**
 * The user name, the home folder's name, the whole hostname and its first label if distinctive,
 * the project folders' names and the chosen names of the folders above them.
 */
export function collectMachineNames(context: {
  readonly userName?: string | undefined;
  readonly hostName?: string | undefined;
  readonly homeDir?: string | undefined;
  readonly cwds: readonly string[];
  /** The git repository roots of the working directories, at or above them. */
  readonly repoRoots?: readonly string[] | undefined;
}): MachineName[] {
  const names: MachineName[] = [];
  const add = (text: string | undefined, replacement: string, distinctive = isDistinctiveName) => {
    const trimmed = text?.trim();
    if (trimmed === undefined || !distinctive(trimmed)) return;
    addSpelling(trimmed, replacement);
    // A name is also printed URL-encoded (`café-7` in a file URL: `caf%C3%A9-7`). Native, not a
    // loop over the name: this runs cold, as the first text comes.
    const encoded = encodeComponent(trimmed);
    if (encoded !== trimmed) addSpelling(encoded, replacement);
  };
  const addSpelling = (text: string, replacement: string) => {
    const lower = text.toLowerCase();
    if (!names.some((name) => name.text.toLowerCase() === lower)) names.push({ text, replacement });
  };
  add(context.userName, "<user>");
  const home = context.homeDir;
  if (home !== undefined && isInHomesFolder(home)) {
    const folder = lastSegment(home);
    add(folder, "<user>");
    // `C:\Users\Nadia Brightwater`: each part of a spaced name names the person too.
    if (mayHoldBlank(folder)) for (const part of folder.split(/\s+/)) add(part, "<user>");
  }
  const host = context.hostName;
  add(host?.endsWith(".") ? host.slice(0, -1) : host, "<host>");
  add(context.hostName?.split(".")[0], "<host>");
  for (const cwd of context.cwds) add(lastSegment(cwd), "<cwd>", isDistinctiveFolderName);
  const roots = context.repoRoots;
  const dirs = roots === undefined ? context.cwds : context.cwds.concat(roots);
  for (let index = 0; index < dirs.length; index++) {
    const folders = foldersBelowHome(dirs[index] ?? "", home);
    // Empty parts and drives (`C:`) are too short to be distinctive.
    for (let at = 0; at < folders.length; at++)
      add(folders[at], "<dir>", isDistinctiveAncestorName);
  }
  return names;
}

function hasDigitDashOrUnderscore(name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if ((code >= 48 && code <= 57) || code === 95 || code === 45) return true;
  }
  return false;
}

/** False only for text without a character that `\s` matches: ASCII from `!` to `~`. */
function mayHoldBlank(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code <= 32 || code >= 127) return true;
  }
  return false;
}

// A name stands on its own when no letter touches it, or at a camelCase hump (`aliceStaging`,
// `backupAlice`); digits, `_`, `-` and `.` do not join it to a word (`alice2`, `alice_backups`).
const letter = () => String.raw`A-Za-z\u00C0-\uFFFF`;
// Checked after the name, looking back over it: a pattern that starts with the names lets V8
// skip ahead to where one could start, one that starts with a lookbehind tries every position.
// A printed escape (`\n`, `\u0020`) or a URL escape (`%2F`, `%3A`) ends in a letter or digit that
// is no part of the name after it (`%2Ftmp%2Falice`, `"whoami\nalice"`).
const afterEscape = () => String.raw`(?<=%[0-9A-Fa-f]{2}|\\[nrt]|\\u[0-9A-Fa-f]{4})`;
const nameStart = () => String.raw`(?:(?<![${letter()}])|(?<=[a-z])(?=[A-Z])|${afterEscape()})`;
const nameEnd = () => String.raw`(?:(?![${letter()}])|(?<=[a-z])(?=[A-Z]))`;

/** A name that starts or ends with a digit is not part of a longer number (`app-7` in `app-70`). */
function withDigitEdges(name: string): string {
  const start = /^\d/.test(name) ? "(?<!\\d)" : "";
  const end = /\d$/.test(name) ? "(?!\\d)" : "";
  return `${start}${caseless(name)}${end}`;
}

/** One scan for all names (longest first); the replacement is looked up by the matched text. */
export function buildNameRule(names: readonly MachineName[]): RedactionRule | undefined {
  if (names.length === 0) return undefined;
  const byText = new Map(names.map((name) => [name.text.toLowerCase(), name.replacement]));
  const shortest = Math.min(...names.map((name) => name.text.length));
  return {
    label: "names",
    gate: { needs: 0, minLength: shortest },
    hint: buildNameHint(names.map((name) => name.text)),
    source: () => buildNameSource(names),
    replace: (match) => byText.get(match.toLowerCase()) ?? "<user>",
  };
}

function buildNameSource(names: readonly MachineName[]): string {
  const sorted = [...names].sort((a, b) => b.text.length - a.text.length);
  const alternatives = sorted.map((name) => withDigitEdges(name.text)).join("|");
  return `(?:${alternatives})(?<=${nameStart()}(?:${alternatives}))${nameEnd()}`;
}

/**
 * A match is a name in other ASCII cases, so the lower-cased text holds each lower-cased ASCII run
 * of the name. Lower-casing beyond ASCII is not letter by letter for every script (a final sigma,
 * `İ`): a name is looked for by its longest ASCII run, and one without a run of 3 gets no hint.
 */
function buildNameHint(names: readonly string[]): ((text: string) => boolean) | undefined {
  const runs = names.map((name) =>
    (encodeComponent(name) === name ? name : longestAsciiRun(name)).toLowerCase(),
  );
  if (runs.some((run) => run.length < 3)) return undefined;
  return (text) => {
    const lower = text.toLowerCase();
    return runs.some((run) => lower.includes(run));
  };
}

function longestAsciiRun(text: string): string {
  let best = "";
  let start = 0;
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && text.charCodeAt(index) <= 127) continue;
    if (index - start > best.length) best = text.slice(start, index);
    start = index + 1;
  }
  return best;
}
