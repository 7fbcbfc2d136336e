// Q: can this be traced back to me? A: not through a path or a name: the working directory, the
// home directory (anyone's, in POSIX, Windows, file:// and URL-encoded forms), the user name and
// the hostname are replaced by `<cwd>`, `~`, `<user>` and `<host>` before anything is stored.
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./secret-patterns.js";

/** What the path rules need to know about this machine; every field may be missing. */
export interface PathContext {
  readonly homeDir?: string | undefined;
  readonly cwd?: string | undefined;
  readonly names: readonly { readonly text: string; readonly replacement: string }[];
}

// A path separator as written raw, JSON-escaped or URL-encoded.
const SEP = String.raw`(?:[\\/]{1,2}|%2[Ff]|%5[Cc])`;
const FILE_URL = String.raw`(?:${caseless("file:")}[\\/]{2,3})?`;
const WIN_PREFIX = String.raw`(?:${caseless("file:")}[\\/]{2,3}|\\\\\?\\)?`;
// A literal path must end where its last segment ends (`/home/al` must not eat `/home/alice`).
const PATH_END = String.raw`(?![\w.-])`;
// Another user's name in a home path: up to the next separator or delimiter (`%20` allowed).
const NAME_CHAR = String.raw`(?:[^\\/\s%"'\x60:;,()<>\[\]{}|*?#&=]|%(?!2[Ff]|5[Cc]))`;
const SEGMENT = `${NAME_CHAR}+`;
// Windows user names may hold spaces: take several words when a separator follows them.
const SPACED_SEGMENT = `${SEGMENT}(?: ${SEGMENT})*(?=${SEP})|${SEGMENT}`;
const WORD_CHAR = String.raw`A-Za-z0-9_\u00C0-\uFFFF`;

const DRIVE = /^(?:\\\\\?\\)?([A-Za-z]):[\\/]/;

/** Regex source for one absolute path in all the forms it is printed in, or undefined if too broad. */
export function buildPathSource(path: string): string | undefined {
  const drive = DRIVE.exec(path);
  const rest = drive ? path.slice(drive[0].length) : path;
  const segments = rest.split(/[\\/]+/).filter((segment) => segment !== "");
  if (segments.length === 0 || (!drive && !path.startsWith("/"))) return undefined;
  const body = segments.map(encodeSegment).join(SEP);
  if (drive?.[1] !== undefined) {
    return `${WIN_PREFIX}${caseless(drive[1])}(?::|%3[Aa])${SEP}${body}${PATH_END}`;
  }
  return `${FILE_URL}${SEP}${body}${PATH_END}`;
}

/** One literal path segment; a space may also be printed URL-encoded. */
function encodeSegment(segment: string): string {
  return segment.split(" ").map(caseless).join("(?: |%20)");
}

/** True when `inner` is `outer` or lies below it (compared case-insensitively, any separator). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const normalize = (path: string) =>
    path
      .replace(/[\\/]+/g, "/")
      .replace(/\/$/, "")
      .toLowerCase();
  const a = normalize(inner);
  const b = normalize(outer);
  return a === b || a.startsWith(`${b}/`);
}

/** Rules for this machine's paths and names, most specific first. */
export function buildPathRules(context: PathContext): RedactionRule[] {
  const rules: RedactionRule[] = [];
  const { homeDir, cwd } = context;
  // The cwd is replaced whole (it names the project), unless it is home or above it.
  const cwdSource = cwd === undefined ? undefined : buildPathSource(cwd);
  if (cwdSource !== undefined && cwd !== undefined && !isAncestorOfHome(cwd, homeDir)) {
    rules.push({ label: "cwd", hint: hasPathChar, source: cwdSource, replace: () => "<cwd>" });
  }
  const homeSource = homeDir === undefined ? undefined : buildPathSource(homeDir);
  if (homeSource !== undefined) {
    rules.push({ label: "home", hint: hasPathChar, source: homeSource, replace: () => "~" });
  }
  rules.push(...GENERIC_HOME_RULES);
  const names = buildNameRule(context.names);
  if (names !== undefined) rules.push(names);
  return rules;
}

/** One scan for all names (longest first); the replacement is looked up by the matched text. */
function buildNameRule(names: PathContext["names"]): RedactionRule | undefined {
  if (names.length === 0) return undefined;
  const byText = new Map(names.map((name) => [name.text.toLowerCase(), name.replacement]));
  const sorted = [...names].sort((a, b) => b.text.length - a.text.length);
  const alternatives = sorted.map((name) => caseless(name.text)).join("|");
  return {
    label: "names",
    source: `(?<![${WORD_CHAR}])(?:${alternatives})(?![${WORD_CHAR}])`,
    replace: (match) => byText.get(match.toLowerCase()) ?? "<user>",
  };
}

// Every path form contains a separator or a percent escape.
function hasPathChar(text: string): boolean {
  return text.includes("/") || text.includes("\\") || text.includes("%");
}

function isAncestorOfHome(cwd: string, homeDir: string | undefined): boolean {
  return homeDir !== undefined && isSameOrInside(homeDir, cwd);
}

// Windows first: the POSIX rule would otherwise take the `\Users\bob` part of `C:\Users\bob`.
const GENERIC_HOME_RULES: readonly RedactionRule[] = [
  {
    label: "windows-home",
    hint: hasPathChar,
    source: `${WIN_PREFIX}[A-Za-z](?::|%3[Aa])${SEP}${caseless("users")}${SEP}(?:${SPACED_SEGMENT})`,
    replace: () => "~",
  },
  {
    label: "posix-home",
    hint: hasPathChar,
    source: `${FILE_URL}${SEP}(?:${caseless("home")}|${caseless("users")})${SEP}${SEGMENT}`,
    replace: () => "~",
  },
];
