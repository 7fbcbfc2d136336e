// Q: can this be traced back to me? A: not through a value stored under a secret-looking name:
// this decides which names (`DB_PASS`, `GPG_PASSPHRASE`, `STRIPE_SK`, `PGPASSWORD`) hold secrets.

// Variable names: anywhere in the name, as environments spell them (`PGPASSWORD`, `NPM_TOKEN`).
// Plain string tests, not one large pattern: this runs over every variable as the host starts.
const SECRET_ENV_PARTS = [
  ...["TOKEN", "SECRET", "PASS", "CREDENTIAL", "KEY", "AUTHORIZATION", "OAUTH", "PRIVATE"],
  ...["SESSION", "COOKIE", "SIGNATURE", "SIGNING", "AUTH_"],
];
const SECRET_ENV_WORDS = new Set(["PW", "SK", "CRED", "CREDS"]);
const DATABASE_WORDS = new Set(
  "DB DATABASE REDIS MONGO MONGODB POSTGRES POSTGRESQL PG MYSQL AMQP RABBITMQ KAFKA".split(" "),
);

/** True when an environment variable's name says its value is secret (`*TOKEN*`, `DB_PASS`, …). */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  // `PWD` and `OLDPWD` are working directories, handled by the path rules.
  if (upper === "PWD" || upper === "OLDPWD") return false;
  const words = upper.split("_");
  const last = words[words.length - 1] ?? "";
  // Their values say where a secret is kept, not the secret: the path rules see them.
  if (words.length > 1 && ["FILE", "PATH", "DIR", "SOCK", "SOCKET"].includes(last)) return false;
  if (SECRET_ENV_PARTS.some((part) => upper.includes(part))) return true;
  if (upper.endsWith("PWD") || upper.endsWith("AUTH") || last === "DSN") return true;
  if (words.some((word) => SECRET_ENV_WORDS.has(word))) return true;
  if (upper.includes("CONN") && upper.includes("STR")) return true;
  const before = words[words.length - 2];
  return (last === "URL" || last === "URI") && before !== undefined && DATABASE_WORDS.has(before);
}
