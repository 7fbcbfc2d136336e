// Which of the environment's names may be secret, found in one search of all of them. Tested
// one by one, each name cost a host's first event some twenty string tests, run cold (0.05-0.09
// ms more for npm's 68 variables, with the code cache). Searched for together, each hint is one
// call; only the names a hint lands in are tested one by one.
import { lazy } from "./lazy.js";
import { mayBeSecretEnvName, SECRET_ENV_HINTS } from "./secret-keys.js";

// No variable's name holds it (names are C strings); a host's `env` option might, and then
// every name is tested one by one.
const SEPARATOR = "\0";
/** What a name that mayBeSecretEnvName takes holds, in the joined text: a hint or an ending. */
const marks = lazy(() => [...SECRET_ENV_HINTS, `_URL${SEPARATOR}`, `_URI${SEPARATOR}`, "PAT"]);

/** The names for which mayBeSecretEnvName is true, in their order: exactly those. */
export function namesThatMayBeSecret(names: readonly string[]): string[] {
  // Upper-casing maps each character on its own, so the joined text is the names' upper cases
  // between separators, and a mark found in it lies in the name around it.
  const text = `${SEPARATOR}${names.join(SEPARATOR).toUpperCase()}${SEPARATOR}`;
  const starts = new Set<number>();
  const all = marks();
  for (let index = 0; index < all.length; index++) {
    const mark = all[index] ?? "";
    for (let at = text.indexOf(mark); at !== -1; at = text.indexOf(mark, at + 1)) {
      // `PAT` as in PATH, which every environment has, is no mark (see mayBeSecretEnvName).
      if (mark === "PAT" && text.charCodeAt(at + 3) === 0x48) continue;
      starts.add(text.lastIndexOf(SEPARATOR, at));
    }
  }
  if (starts.size === 0) return [];
  const found: string[] = [];
  let start = 0;
  for (let index = 0; index < names.length; index++) {
    const name = names[index] ?? "";
    // The one test that decides, for the names a mark lies in (PWD, whose PW is none, is one).
    if (starts.has(start) && mayBeSecretEnvName(name)) found.push(name);
    start = text.indexOf(SEPARATOR, start + 1);
  }
  // A name holding the separator shifts the names after it: then test every name.
  return text.indexOf(SEPARATOR, start + 1) === -1 ? found : names.filter(mayBeSecretEnvName);
}
