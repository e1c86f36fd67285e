/**
 * Stoplight Prism serving one of Intercom's vendored OpenAPI descriptions, with request validation,
 * behind a small recording proxy. Prism answers an invalid request with the description's own error
 * response (for /ip_allowlist that is its 422 example) and names the violations in an
 * `sl-violations` header: the proxy records every exchange, so a test asserts that no request the
 * client sent violated the contract, rather than trusting the status code.
 *
 * The proxy can also put a `Prefer` header on forwarded requests (Prism's way of choosing a
 * response: `code=401`, `example=...`), and can answer a request itself before Prism sees it: used
 * for 429 and 5xx, which Intercom's description does not define for these endpoints, so Prism
 * cannot produce them. An injected answer is recorded as such; the retried request still goes to
 * Prism and is validated.
 *
 * `rewrite()` replaces the body of Prism's answer before the client sees it (Prism answers with the
 * description's static example): a generated secret in a create's response, a list changed out of
 * band. The request still went to Prism and was validated; the recorded body is the rewritten one.
 *
 * One Prism per test file: `const prism = await startPrism()` in beforeAll, `prism.stop()` in afterAll;
 * `startVersionedPrism()` where a test reaches endpoints of both 2.16 and the Preview version.
 */
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import * as net from "net";
import * as path from "path";

export const vendoredDescriptions = {
  v216: path.resolve(__dirname, "..", "..", "vendor", "intercom-openapi", "api.intercom.io-2.16.yaml"),
  preview: path.resolve(__dirname, "..", "..", "vendor", "intercom-openapi", "api.intercom.io-preview.yaml"),
};

export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly requestHeaders: http.IncomingHttpHeaders;
  readonly requestBody: string;
  readonly status: number;
  readonly responseBody: string;
  /** Prism's request/response violations (its `sl-violations` header), parsed; empty when valid. */
  readonly violations: readonly { location?: string[]; severity?: string; message?: string }[];
  /** Answered by the proxy (an injected 429/5xx), not by Prism. */
  readonly injected: boolean;
}

export interface InjectedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Given a forwarded request and Prism's answer, the body to send instead, or undefined to keep Prism's. */
export type ResponseRewriter = (
  request: { method: string; path: string; body: string },
  status: number,
  body: string,
) => string | undefined;

export interface PrismServer {
  /** The proxy's base URL: give this to the client. */
  readonly url: string;
  readonly exchanges: Exchange[];
  /** Request violations of the exchanges recorded so far (should be empty). */
  requestViolations(): Exchange["violations"][number][];
  /** Answer the next requests with these, in order, before forwarding anything to Prism again. */
  inject(...responses: InjectedResponse[]): void;
  /** Rewrites the body of each of Prism's answers (return undefined to keep it) until cleared (undefined). */
  rewrite(rewriter: ResponseRewriter | undefined): void;
  /** A `Prefer` header value put on every forwarded request until cleared (undefined). */
  prefer(value: string | undefined): void;
  /** Forget recorded exchanges, injections and preferences. */
  reset(): void;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(child: ChildProcess, url: string, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Prism exited (${child.exitCode}) before it was ready:\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`Prism was not ready within ${timeoutMs} ms:\n${output()}`);
}

function parseViolations(header: string | null): Exchange["violations"] {
  if (!header) return [];
  try {
    const parsed = JSON.parse(header) as unknown;
    return Array.isArray(parsed) ? (parsed as Exchange["violations"]) : [{ message: header }];
  } catch {
    return [{ message: header }];
  }
}

interface PrismProcess {
  readonly url: string;
  readonly child: ChildProcess;
}

async function spawnPrism(description: string, extraArgs: readonly string[]): Promise<PrismProcess> {
  const prismPort = await freePort();
  const bin = path.resolve(__dirname, "..", "..", "node_modules", ".bin", "prism");
  const child = spawn(bin, ["mock", "--errors", "-h", "127.0.0.1", "-p", String(prismPort), ...extraArgs, description], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${prismPort}`;
  try {
    await waitUntilReady(child, url, () => log, 60_000);
  } catch (error) {
    child.kill();
    throw error;
  }
  return { url, child };
}

/**
 * Intercom as one host serving every API version, as api.intercom.io does: a request whose
 * `Intercom-Version` is `Preview` goes to a Prism serving the Preview description, every other to
 * one serving 2.16. Each request is validated against the description of the version it asked for.
 */
export async function startVersionedPrism(): Promise<PrismServer> {
  return startPrism(vendoredDescriptions.v216, [], { Preview: vendoredDescriptions.preview });
}

/** `byVersion` maps an `Intercom-Version` header value to another description, served by its own Prism. */
export async function startPrism(
  description: string = vendoredDescriptions.v216,
  extraArgs: readonly string[] = [],
  byVersion: Readonly<Record<string, string>> = {},
): Promise<PrismServer> {
  const prisms = await Promise.all([description, ...Object.values(byVersion)].map((d) => spawnPrism(d, extraArgs)));
  const versionUrls = new Map(Object.keys(byVersion).map((version, index) => [version, prisms[index + 1]!.url]));
  const prismUrlFor = (headers: http.IncomingHttpHeaders): string => {
    const version = headers["intercom-version"];
    return (typeof version === "string" ? versionUrls.get(version) : undefined) ?? prisms[0]!.url;
  };

  const exchanges: Exchange[] = [];
  let injections: InjectedResponse[] = [];
  let preferValue: string | undefined;
  let rewriter: ResponseRewriter | undefined;

  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const requestBody = Buffer.concat(chunks).toString();
      const base = { method: req.method ?? "GET", path: req.url ?? "/", requestHeaders: req.headers, requestBody };
      const injection = injections.shift();
      if (injection) {
        exchanges.push({ ...base, status: injection.status, responseBody: injection.body ?? "", violations: [], injected: true });
        res.writeHead(injection.status, { "content-type": "application/json", ...(injection.headers ?? {}) });
        res.end(injection.body ?? "");
        return;
      }
      try {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(req.headers)) {
          if (typeof value === "string" && !["host", "connection", "content-length"].includes(key)) headers[key] = value;
        }
        if (preferValue !== undefined) headers["prefer"] = preferValue;
        const answer = await fetch(`${prismUrlFor(req.headers)}${req.url ?? "/"}`, {
          method: req.method ?? "GET",
          headers,
          ...(requestBody !== "" ? { body: requestBody } : {}),
        });
        const prismBody = await answer.text();
        const responseBody = rewriter?.({ method: base.method, path: base.path, body: requestBody }, answer.status, prismBody) ?? prismBody;
        exchanges.push({
          ...base,
          status: answer.status,
          responseBody,
          violations: parseViolations(answer.headers.get("sl-violations")),
          injected: false,
        });
        const passOn: Record<string, string> = {};
        answer.headers.forEach((value, key) => {
          if (!["content-length", "connection", "keep-alive", "transfer-encoding", "content-encoding"].includes(key)) passOn[key] = value;
        });
        res.writeHead(answer.status, passOn);
        res.end(responseBody);
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    requestViolations: () => exchanges.flatMap((e) => e.violations.filter((v) => v.location?.[0] !== "response")),
    inject: (...responses) => {
      injections.push(...responses);
    },
    rewrite: (value) => {
      rewriter = value;
    },
    prefer: (value) => {
      preferValue = value;
    },
    reset: () => {
      exchanges.length = 0;
      injections = [];
      preferValue = undefined;
      rewriter = undefined;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections();
      await closed;
      await Promise.all(
        prisms.map(async ({ child }) => {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill();
            await exited;
          }
        }),
      );
    },
  };
}

/**
 * The Intercom a provider spec file talks to: a Prism started before the file's tests, with INTERCOM_API_BASE_URL
 * pointing at it and no ambient token; reset before each test, every request held to the description after each;
 * stopped and the environment restored at the end. `use` receives the server once it runs.
 */
export function useIntercomPrism(use: (server: PrismServer) => void, description: string = vendoredDescriptions.v216): void {
  let server: PrismServer | undefined;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    server = await startPrism(description);
    use(server);
    process.env.INTERCOM_API_BASE_URL = server.url;
    delete process.env.INTERCOM_ACCESS_TOKEN;
  });
  afterAll(async () => {
    process.env = savedEnv;
    await server?.stop();
  });
  beforeEach(() => server?.reset());
  afterEach(() => expect(server?.requestViolations()).toEqual([]));
}
