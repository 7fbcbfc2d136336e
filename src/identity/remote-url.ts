// Q: can this be traced back to me? A: not from this alone: the result never leaves the machine
// as text, only inside a salted hash, and credentials, ports and schemes are stripped before even
// that, so a token embedded in a CI remote never reaches the hash input.

// Schemes that name a network repository; file:// and unknown transports name no shared project.
const NETWORK_SCHEMES = new Set([
  "http",
  "https",
  "ssh",
  "git",
  "git+ssh",
  "ssh+git",
  "ftp",
  "ftps",
]);

// Alternate SSH endpoints serve the same repositories as the main host.
const HOST_ALIASES = new Map([
  ["ssh.github.com", "github.com"],
  ["altssh.gitlab.com", "gitlab.com"],
  ["altssh.bitbucket.org", "bitbucket.org"],
]);

interface RemoteParts {
  authority: string;
  path: string;
}

/**
 * `host/path` for a network remote, all lowercase, without credentials, port, scheme, query,
 * a leading `www.`, trailing slashes or `.git`; null for local paths, file:// remotes and
 * anything unparseable.
 * Lowercasing merges `Org/Repo` and `org/repo`, which GitHub, GitLab and Bitbucket treat as one.
 */
export function normalizeRemoteUrl(url: string): string | null {
  const text = url.trim();
  // Control characters never occur in a usable remote; refusing them keeps the parser simple.
  if (text === "" || /\p{Cc}/u.test(text)) return null;
  const parts = splitRemote(text.replace(/^[a-z][a-z0-9+.-]*::/i, ""));
  if (!parts) return null;
  const host = cleanHost(parts.authority);
  const path = cleanPath(parts.path);
  return host && path ? `${host}/${path}` : null;
}

/** Splits `scheme://…` and scp-like `user@host:path` forms; null for local paths. */
function splitRemote(text: string): RemoteParts | null {
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(text);
  if (url) {
    const scheme = (url[1] ?? "").toLowerCase();
    return NETWORK_SCHEMES.has(scheme) ? splitUrlBody(url[2] ?? "") : null;
  }
  // `[user@host:port]:path` and `[ipv6]:path`: the brackets hold the whole authority.
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1 || text[close + 1] !== ":") return null;
    return { authority: text.slice(0, close + 1), path: text.slice(close + 2) };
  }
  const colon = text.indexOf(":");
  const slash = text.indexOf("/");
  // Git's own rule: scp-like only when a colon comes before any slash; `C:` is a drive letter.
  if (colon <= 1 || (slash !== -1 && slash < colon)) return null;
  const head = slash === -1 ? text : text.slice(0, slash);
  const rest = text.slice(head.lastIndexOf("@") + 1);
  const end = rest.startsWith("[") ? rest.indexOf("]") + 1 : rest.indexOf(":");
  if (end <= 0 || rest[end] !== ":") return null;
  return { authority: rest.slice(0, end), path: rest.slice(end + 1) };
}

/** Authority and path of a URL body; the last `@` wins so a password holding `/` is dropped. */
function splitUrlBody(body: string): RemoteParts | null {
  const cut = body.search(/[?#]/);
  const main = cut === -1 ? body : body.slice(0, cut);
  const hostStart = main.lastIndexOf("@") + 1;
  const slash = main.indexOf("/", hostStart);
  if (slash === -1) return null;
  return { authority: main.slice(hostStart, slash), path: decodePath(main.slice(slash + 1)) };
}

/** Percent-decoding so `my%20repo` over HTTPS matches `my repo` over SSH. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    // Malformed escapes are kept as written; the result is still stable for that spelling.
    return path;
  }
}

/** Lowercase host without user, port or brackets; null when it cannot be a host name. */
function cleanHost(authority: string): string | null {
  let host = unbracket(authority);
  const bracketed = host !== authority;
  host = host.slice(host.lastIndexOf("@") + 1);
  // A port goes; a bracketed IPv6 address (several colons) keeps its colons.
  if (!bracketed || host.split(":").length === 2) host = host.replace(/:\d*$/, "");
  if (host.includes(":") && !bracketed) return null;
  // `www.github.com` serves (or redirects to) the same repositories as `github.com`.
  host = host
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^www\.(?=[^.]+\.[^.]+)/, "");
  if (host === "" || /[\s/\\@[\]]/.test(host)) return null;
  return HOST_ALIASES.get(host) ?? host;
}

/** The inside of `[...]`, or the text itself when it is not bracketed. */
function unbracket(text: string): string {
  const close = text.indexOf("]");
  return text.startsWith("[") && close !== -1 ? text.slice(1, close) : text;
}

/** Lowercase path without duplicate, leading or trailing slashes and without `.git`. */
function cleanPath(path: string): string | null {
  const trimmed = path.replace(/\/{2,}/g, "/").replace(/^\/+|\/+$/g, "");
  const bare = trimmed.replace(/\.git$/i, "").replace(/\/+$/, "");
  return bare === "" ? null : bare.toLowerCase();
}
