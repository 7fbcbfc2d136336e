// Paths compared and cut as plain strings: each distinct regex costs its compilation (20-50 µs)
// in a host that redacts a few dozen texts, and these run as the redactor is created.
import { makeWellFormed } from "./text.js";

function isSeparator(code: number): boolean {
  return code === 47 || code === 92; // `/` or `\`
}

/** The path without the separators it ends with (`/a/b//` → `/a/b`). */
export function trimTrailingSeparators(path: string): string {
  let end = path.length;
  while (end > 0 && isSeparator(path.charCodeAt(end - 1))) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** True when `inner` is `outer` or lies below it (compared case-insensitively, any separator). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const a = normalizePath(inner);
  const b = normalizePath(outer);
  return a === b || a.startsWith(`${b}/`);
}

/** Every run of separators as one `/`, no trailing `/`, lower-cased. */
function normalizePath(path: string): string {
  const slashed = path.includes("\\") || path.includes("//") ? collapseSeparators(path) : path;
  return (slashed.endsWith("/") ? slashed.slice(0, -1) : slashed).toLowerCase();
}

function collapseSeparators(path: string): string {
  let out = "";
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index);
    if (!isSeparator(code)) out += path.charAt(index);
    else if (!isSeparator(path.charCodeAt(index - 1))) out += "/";
  }
  return out;
}

/**
 * The last segment of a path written with either separator (`C:\Users\bob\` → `bob`), as
 * path.basename gives it, without compiling path.basename (some 40 µs on a host's first text).
 */
export function lastSegment(path: string): string {
  const slashed = trimTrailingSeparators(path).replaceAll("\\", "/");
  const cut = slashed.lastIndexOf("/");
  if (cut !== -1) return slashed.slice(cut + 1);
  // Windows' basename reads `C:name` as `name` on drive C.
  return isWindows() && /^[A-Za-z]:/.test(slashed) ? slashed.slice(2) : slashed;
}

function isWindows(): boolean {
  return process.platform === "win32";
}

/**
 * True for `…/home/<name>`, `…/home2/<name>`, `…/homes/<name>` and `…\Users\<name>` (any case,
 * one trailing separator allowed).
 */
export function isInHomesFolder(home: string): boolean {
  const last = home.length - 1;
  const path = last >= 0 && isSeparator(home.charCodeAt(last)) ? home.slice(0, last) : home;
  const nameAt = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1;
  if (nameAt === 0 || nameAt === path.length) return false;
  const parent = path.slice(0, nameAt - 1);
  const folderAt = Math.max(parent.lastIndexOf("/"), parent.lastIndexOf("\\")) + 1;
  if (folderAt === 0) return false;
  const folder = parent.slice(folderAt).toLowerCase();
  return folder === "users" || isHomesFolderName(folder);
}

/** `home`, `homes`, `home2`, `home12`: by characters, as a regular expression compiles on first use. */
function isHomesFolderName(folder: string): boolean {
  if (!folder.startsWith("home")) return false;
  const rest = folder.slice(4);
  if (rest === "" || rest === "s") return true;
  if (rest.length > 2) return false;
  for (let index = 0; index < rest.length; index++) {
    const code = rest.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

// What a file URL's path escapes besides non-ASCII (WHATWG URL's path set, and `%` itself).
const URL_PATH_ESCAPED = new Set(' "#%<>?`{}'.split(""));

/**
 * A path segment as `pathToFileURL` prints it (`müller` → `m%C3%BCller`): Node writes file URLs
 * in stack traces this way, so a path must be found in this spelling too.
 */
export function encodeUrlSegment(segment: string): string {
  let out = "";
  for (const char of segment) {
    const code = char.codePointAt(0) ?? 0;
    const escaped = code > 126 || code < 32 || URL_PATH_ESCAPED.has(char);
    out += escaped ? encodeComponent(char) : char;
  }
  return out;
}

/** encodeURIComponent, but a lone surrogate (which it throws on) is written as U+FFFD. */
export function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(makeWellFormed(text));
  }
}
