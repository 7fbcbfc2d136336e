// The bad inputs of G7, each a call to track(): event name and properties. Shared by the
// hostile-host fixture (which makes the calls in a real process) and its test.
type Track = (name: unknown, properties?: unknown) => void;
type Case = { readonly name: string; readonly make: (track: Track) => [unknown, unknown] };

const TEN_MB = "x".repeat(10 * 1024 * 1024);
const resource = (name: unknown) => ({ resource: { name, type: "t" }, elapsedMs: 1 });

/** A Proxy that throws on every trap. */
function hostileProxy(): object {
  const boom = () => {
    throw new Error("trap");
  };
  return new Proxy(
    {},
    {
      get: boom,
      has: boom,
      ownKeys: boom,
      getOwnPropertyDescriptor: boom,
      getPrototypeOf: boom,
      set: boom,
      defineProperty: boom,
      deleteProperty: boom,
      isExtensible: boom,
      preventExtensions: boom,
      setPrototypeOf: boom,
      apply: boom,
      construct: boom,
    },
  );
}

function circular(): Record<string, unknown> {
  const value: Record<string, unknown> = { resource: { name: "c", type: "t" }, elapsedMs: 1 };
  value.self = value;
  (value.resource as Record<string, unknown>).parent = value;
  return value;
}

function circularError(): Error {
  const error = new Error("loop") as Error & { cause?: unknown; errors?: unknown[] };
  error.cause = error;
  error.errors = [error, error];
  return error;
}

function deepCause(depth: number): Error {
  let error = new Error("root");
  for (let index = 0; index < depth; index += 1)
    error = new Error(`level ${index}`, { cause: error });
  return error;
}

function deepObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { name: "deep", type: "t" };
  for (let index = 0; index < depth; index += 1) value = { nested: value, name: "deep", type: "t" };
  return value;
}

const getterThrows = () => ({
  get name(): string {
    throw new Error("getter");
  },
  type: "t",
});

export const HOSTILE_CASES: readonly Case[] = [
  { name: "circular properties", make: () => ["resource.success", circular()] },
  { name: "circular error and members", make: () => ["app.error", { error: circularError() }] },
  {
    name: "BigInt everywhere",
    make: () => ["resource.error", { resource: { name: 5n, type: 6n }, elapsedMs: 7n, error: 8n }],
  },
  {
    name: "functions",
    make: () => ["resource.error", { resource: { name: () => 1, type: "t" }, error: () => 2 }],
  },
  { name: "a function as properties", make: () => ["app.success", () => undefined] },
  {
    name: "symbols",
    make: () => [
      "resource.error",
      { resource: { name: Symbol("s"), type: "t" }, error: Symbol("e"), [Symbol("k")]: 1 },
    ],
  },
  {
    name: "Map, Set, Date, URL, Buffer",
    make: () => [
      "resource.error",
      {
        resource: { name: new Map([[1, 2]]), type: new Set([1]), status: new Date() },
        elapsedMs: new URL("https://x.test/"),
        error: Buffer.from("b"),
      },
    ],
  },
  { name: "Date and URL as resource", make: () => ["resource.start", { resource: new Date() }] },
  {
    name: "hostile getters",
    make: () => [
      "resource.error",
      {
        resource: getterThrows(),
        error: Object.defineProperty(new Error("m"), "message", {
          get: () => {
            throw new Error("g");
          },
        }),
      },
    ],
  },
  {
    name: "a throwing getter as properties",
    make: () => [
      "app.error",
      Object.defineProperty({}, "error", {
        get: () => {
          throw new Error("g");
        },
        enumerable: true,
      }),
    ],
  },
  {
    name: "hostile toJSON",
    make: () => [
      "resource.error",
      {
        resource: {
          name: "j",
          type: "t",
          toJSON: () => {
            throw new Error("toJSON");
          },
        },
        error: { toJSON: () => circular() },
      },
    ],
  },
  { name: "throwing Proxy as properties", make: () => ["resource.error", hostileProxy()] },
  {
    name: "throwing Proxy as resource",
    make: () => ["resource.success", { resource: hostileProxy(), elapsedMs: 1 }],
  },
  {
    name: "throwing Proxy as error",
    make: () => ["app.error", { error: hostileProxy(), elapsedMs: 1 }],
  },
  {
    name: "throwing Proxy as resource name",
    make: () => ["resource.start", resource(hostileProxy())],
  },
  {
    name: "lone surrogates",
    make: () => [
      "resource.error",
      { resource: { name: "a\uD800b\uDC00c", type: "\uDBFF" }, error: new Error("\uD83D bad") },
    ],
  },
  { name: "10 MB resource name", make: () => ["resource.success", resource(TEN_MB)] },
  { name: "10 MB error message", make: () => ["app.error", { error: new Error(TEN_MB) }] },
  {
    name: "10 MB error stack",
    make: () => [
      "app.error",
      {
        error: Object.assign(new Error("s"), {
          stack: `Error: s\n${"    at f (x.js:1:1)\n".repeat(500_000)}`,
        }),
      },
    ],
  },
  { name: "10 MB string as error", make: () => ["app.error", { error: TEN_MB }] },
  { name: "a cause chain 10,000 deep", make: () => ["app.error", { error: deepCause(10_000) }] },
  {
    name: "AggregateError of 10,000",
    make: () => [
      "app.error",
      { error: new AggregateError(Array.from({ length: 10_000 }, () => new Error("m"))) },
    ],
  },
  {
    name: "a resource nested 10,000 deep",
    make: () => ["resource.success", { resource: deepObject(10_000) }],
  },
  { name: "NaN elapsed", make: () => ["app.success", { elapsedMs: NaN }] },
  { name: "Infinity elapsed", make: () => ["app.success", { elapsedMs: Infinity }] },
  { name: "negative elapsed", make: () => ["app.success", { elapsedMs: -5 }] },
  {
    name: "null-prototype resource",
    make: () => [
      "resource.skip",
      { resource: Object.assign(Object.create(null) as object, { name: "n", type: "t" }) },
    ],
  },
  {
    name: "a getter that calls track() again",
    make: (track) => [
      "resource.start",
      {
        resource: {
          get name() {
            track("app.start");
            return "reentrant";
          },
          type: "t",
        },
      },
    ],
  },
  { name: "unknown event name", make: () => ["no.such.event", {}] },
  { name: "undefined event name", make: () => [undefined, undefined] },
  { name: "a Symbol as event name", make: () => [Symbol("app.start"), undefined] },
  { name: "a Proxy as event name", make: () => [hostileProxy(), undefined] },
];
