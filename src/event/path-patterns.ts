// Q: can this be traced back to me? A: not through a path: the working directory (as the process
// sees it and as the host's `cwd` option names it), the root of its git repository and the home directory (anyone's, in POSIX,
// Windows, file://, `~`, JSON-escaped and URL-encoded forms, once or twice over) are replaced by
// `<cwd>`, `<repo>` and `~` before anything is stored.
import { encodeComponent, encodeUrlSegment, isSameOrInside } from "./path-text.js";
import { caseless } from "./regex-source.js";
import type { RedactionRule } from "./rule.js";
import { BACKSLASH, PERCENT, SLASH, type Gate } from "./text-features.js";

/** What the path rules need to know about this machine; every field may be missing. */
export interface PathContext {
  readonly homeDir?: string | undefined;
  readonly cwds: readonly string[];
  /** Git repository roots at or above the working directories (a monorepo's root). */
  readonly repoRoots?: readonly string[] | undefined;
}

// A path separator as written raw, JSON-escaped (once or twice) or URL-encoded (once or twice).
const sep = () => String.raw`(?:[\\/]{1,4}|%(?:25)?2[Ff]|%(?:25)?5[Cc])`;
const driveColon = () => String.raw`(?::|%(?:25)?3[Aa])`;
const fileUrl = () => String.raw`(?:${caseless("file:")}[\\/]{2,3})?`;
const winPrefix = () => String.raw`(?:${caseless("file:")}[\\/]{2,3}|\\\\\?\\)?`;
// A literal path must end where its last segment ends (`/home/al` must not eat `/home/alice`).
const pathEnd = () => String.raw`(?![\w.-])`;
// The working directory starts a path: `/app` is not the cwd inside `/usr/lib/app` or `…com/app`.
const pathStart = () => String.raw`(?<![\w.~:%\\/-])`;
// Another user's name in a home path: up to the next separator or delimiter (`%20` allowed).
const nameChar = () => String.raw`(?:[^\\/\s%"'\x60:;,()<>\[\]{}|*?#&=]|%(?!2[Ff]|5[Cc]|25))`;
const segment = () => `${nameChar()}+`;
// User names may hold spaces (`/Users/Nadia Brightwater/`): take several words when a separator follows them.
const spacedSegment = () => `${segment()}(?: ${segment()})*(?=${sep()})|${segment()}`;
// How a path under home is written relative to it (`~/app`, `$HOME/app`, `%USERPROFILE%\app`).
const homeSpelling = () => String.raw`(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%)`;

/** Every path form contains a separator or a percent escape: a text without one skips them all. */
export const PATH_GATE: Gate = { needs: SLASH | BACKSLASH | PERCENT, minLength: 0 };

const DRIVE = /^(?:\\\\\?\\)?([A-Za-z]):[\\/]/;

/** Regex source for one absolute path in all the forms it is printed in, or undefined if too broad. */
export function buildPathSource(path: string): string | undefined {
  const drive = DRIVE.exec(path);
  const rest = drive ? path.slice(drive[0].length) : path;
  const segments = splitSegments(rest);
  if (segments.length === 0 || (!drive && !path.startsWith("/"))) return undefined;
  const body = segments.map(encodeSegment).join(sep());
  if (drive?.[1] !== undefined) {
    return `${winPrefix()}${caseless(drive[1])}${driveColon()}${sep()}${body}${pathEnd()}`;
  }
  return `${fileUrl()}${sep()}${body}${pathEnd()}`;
}

function splitSegments(path: string): string[] {
  return path.split(/[\\/]+/).filter((segment) => segment !== "");
}

/** One literal path segment; a space may also be printed URL-encoded. */
function encodeSegment(segment: string): string {
  const raw = segment.split(" ").map(caseless).join("(?: |%20|%2520)");
  if (isPlainSegment(segment)) return raw;
  // Percent-encoded as a file URL prints it, as a query string does, and either one encoded again.
  const encoded = [encodeUrlSegment(segment), encodeComponent(segment)];
  const spellings = new Set([...encoded, ...encoded.map((text) => text.replaceAll("%", "%25"))]);
  return `(?:${raw}|${[...spellings].map(caseless).join("|")})`;
}

/** Letters, digits, `-`, `_`, `.` and blanks: spelled the same in a URL (but for blanks). */
function isPlainSegment(segment: string): boolean {
  return /^[\w. -]*$/.test(segment);
}

/**
 * Rules for this machine's paths, most specific first: the cwd before its repository's root
 * (which holds it), both before home, home before others'.
 */
export function buildPathRules(context: PathContext): RedactionRule[] {
  const { homeDir } = context;
  const rules: RedactionRule[] = [];
  // A project dir is replaced whole (it names the project), unless it is home or above it.
  const cwds = context.cwds.filter((cwd) => !isAncestorOfHome(cwd, homeDir));
  const roots = (context.repoRoots ?? []).filter(
    (root) => !isAncestorOfHome(root, homeDir) && !cwds.includes(root),
  );
  const dirs = [
    ...cwds.map((path) => ({ path, label: "cwd", replacement: "<cwd>" })),
    ...roots.map((path) => ({ path, label: "repo", replacement: "<repo>" })),
  ];
  for (const { path, label, replacement } of dirs.sort((a, b) => b.path.length - a.path.length)) {
    const source = buildCwdSource(path, homeDir);
    if (source !== undefined) {
      rules.push({ label, gate: PATH_GATE, source: () => source, replace: () => replacement });
    }
  }
  const homeSource = homeDir === undefined ? undefined : buildPathSource(homeDir);
  if (homeSource !== undefined) {
    rules.push({ label: "home", gate: PATH_GATE, source: () => homeSource, replace: () => "~" });
  }
  rules.push(...GENERIC_HOME_RULES);
  return rules;
}

/** A project dir as an absolute path, and as `~/…` when it lies under home. */
function buildCwdSource(cwd: string, homeDir: string | undefined): string | undefined {
  const absolute = buildPathSource(cwd);
  if (absolute === undefined) return undefined;
  const sources = [`${pathStart()}${absolute}`];
  if (homeDir !== undefined && isSameOrInside(cwd, homeDir)) {
    const below = splitSegments(cwd).slice(splitSegments(homeDir).length);
    const body = below.map(encodeSegment).join(sep());
    sources.push(`(?<![\\w.~$%-])${homeSpelling()}${sep()}${body}${pathEnd()}`);
  }
  return sources.join("|");
}

/** A working directory at or above home: the home rule covers it, it names no project. */
export function isAncestorOfHome(cwd: string, homeDir: string | undefined): boolean {
  return homeDir !== undefined && isSameOrInside(homeDir, cwd);
}

// Where a home directory is mounted in another system's view (`/mnt/c/Users/bob`,
// `\\wsl$\Ubuntu\home\bob`, `/var/home/bob`): taken with the home, so `~` stands alone.
const mountPrefix = () =>
  String.raw`(?:${sep()}mnt${sep()}[A-Za-z]|${sep()}var|${sep()}wsl(?:\$|\.localhost)${sep()}[\w.-]+)?`;
// Where POSIX systems keep homes: `/home`, `/Users`, and on shared servers and NAS `/home2`, `/homes`.
const posixHomesRoot = () => String.raw`(?:${caseless("home")}(?:\d{1,2}|s)?|${caseless("users")})`;
const homesRoot = () => `(?:${caseless("users")}|${caseless("documents and settings")})`;

// Windows first: the POSIX rule would otherwise take the `\Users\bob` part of `C:\Users\bob`.
const GENERIC_HOME_RULES: readonly RedactionRule[] = [
  {
    label: "windows-home",
    gate: PATH_GATE,
    source: () =>
      `${winPrefix()}[A-Za-z]${driveColon()}${sep()}${homesRoot()}${sep()}(?:${spacedSegment()})`,
    replace: () => "~",
  },
  {
    label: "posix-home",
    gate: PATH_GATE,
    source: () =>
      `${fileUrl()}${mountPrefix()}${sep()}${posixHomesRoot()}${sep()}(?:${spacedSegment()})`,
    replace: () => "~",
  },
];
