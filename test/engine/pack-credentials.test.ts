/**
 * Literal credentials in Custom Actions over the Analyzer protocol. Generated credential-shaped headers and
 * credential-bearing URLs are sent to the compiled pack as the CustomAction resource registers them (headers and
 * secretHeaderNames in Pulumi's secret form, urlGivenAsSecret plain), and as a raw registration without those fields
 * would: each blocks, and passes once the program gave the value as a Pulumi secret. Ordinary headers and token
 * references pass. No generated value appears in any diagnostic.
 */
import { AnalyzerDiagnostic, CapturedResource, PolicyPackSession } from "../../cli/analyzer-client";
import { credentialHeader, credentialUrl, safeHeaders, safeUrl } from "../support/credentials";
import { controlType, launchPinnedPack, secret, SETUP_TIMEOUT_MS, violationMessage } from "../support/engine";
import { sampleOf } from "../support/property";

const POLICY = "intercom-custom-action-no-literal-credentials";

/** A live action that every other Custom Action policy passes (identity, https, tested...). */
const baseProps = {
    workspaceId: "cred1234",
    name: "Order lookup",
    url: "https://api.example.com/orders",
    method: "GET",
    tokenId: "orders_token",
    audiences: ["users"],
    identityMatch: "email",
    state: "live",
    testedAt: "2026-10-15",
};

interface Given {
    headers?: Record<string, string>;
    /** Header names the program gave as secrets; undefined: a raw registration without the field. */
    secretHeaderNames?: string[];
    url?: string;
    /** undefined: a raw registration without the field. */
    urlGivenAsSecret?: boolean;
}

let counter = 0;

/** The action's inputs as the engine receives them from the CustomAction resource (or a raw registration). */
function action(given: Given): CapturedResource {
    const name = `generated-action-${++counter}`;
    const properties: Record<string, unknown> = {
        ...baseProps,
        url: given.urlGivenAsSecret ? secret(given.url ?? baseProps.url) : (given.url ?? baseProps.url),
        ...(given.headers === undefined ? {} : { headers: secret(given.headers) }),
        ...(given.secretHeaderNames === undefined ? {} : { secretHeaderNames: secret(given.secretHeaderNames) }),
        ...(given.urlGivenAsSecret === undefined ? {} : { urlGivenAsSecret: given.urlGivenAsSecret }),
    };
    const type = controlType("CustomAction");
    return { type, name, urn: `urn:pulumi:dev::credentials::${type}::${name}`, properties, custom: true, dependencies: [] };
}

describe("literal credentials in Custom Actions, over the Analyzer protocol", () => {
    let session: PolicyPackSession | undefined;
    const shown: AnalyzerDiagnostic[] = [];

    beforeAll(async () => {
        session = await launchPinnedPack();
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
        await session?.close();
    });

    async function credentialDiagnostics(resource: CapturedResource): Promise<AnalyzerDiagnostic[]> {
        if (!session) throw new Error("setup failed");
        const diagnostics = await session.analyze(resource);
        shown.push(...diagnostics);
        return diagnostics.filter((d) => d.policyName === POLICY);
    }

    const headerSamples = sampleOf(credentialHeader, 60);
    const urlSamples = sampleOf(credentialUrl, 40);

    it("blocks every generated credential-shaped header, from the resource and from a raw registration", async () => {
        const safe = sampleOf(safeHeaders, headerSamples.length);
        for (const [i, [name, value]] of headerSamples.entries()) {
            const headers = { ...safe[i], [name]: value };
            for (const given of [{ headers, secretHeaderNames: [] }, { headers }]) {
                const found = await credentialDiagnostics(action(given));
                expect(found.map((d) => [d.enforcementLevel, violationMessage(d)])).toEqual([
                    // The check read header values (a secret path): the finding names the field only.
                    ["mandatory", expect.stringMatching(/^CustomAction "[^"]+": the finding rests on secret values \([^)]*headers[^)]*\), so it is not described further\. /)],
                ]);
            }
        }
    });

    it("passes the same headers once the program gave them as Pulumi secrets", async () => {
        for (const [name, value] of headerSamples) {
            expect(await credentialDiagnostics(action({ headers: { Accept: "application/json", [name]: value }, secretHeaderNames: [name] }))).toEqual([]);
        }
    });

    it("blocks a header value sent as its own secret when the companion field is missing (fails closed)", async () => {
        for (const [name, value] of headerSamples.slice(0, 10)) {
            const resource = action({});
            resource.properties["headers"] = { [name]: secret(value) };
            expect((await credentialDiagnostics(resource)).map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
        }
    });

    it("blocks every generated credential-bearing URL, and passes it given as a Pulumi secret", async () => {
        for (const { part, url } of urlSamples) {
            const literal = await credentialDiagnostics(action({ url, urlGivenAsSecret: false }));
            expect(literal.length).toBeGreaterThan(0);
            expect(literal.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
            expect(literal.map(violationMessage).join("\n")).toContain(part === "userinfo" ? "user-info" : part === "host" ? "host name" : part);
            expect(await credentialDiagnostics(action({ url }))).toHaveLength(literal.length);
            expect(await credentialDiagnostics(action({ url, urlGivenAsSecret: true }))).toEqual([]);
        }
    });

    it("passes ordinary headers, token references and ordinary URLs", async () => {
        const headers = sampleOf(safeHeaders, 40);
        const urls = sampleOf(safeUrl, 40);
        for (const [i, h] of headers.entries()) {
            expect(await credentialDiagnostics(action({ headers: h, secretHeaderNames: [], url: urls[i], urlGivenAsSecret: false }))).toEqual([]);
        }
    });

    it("never shows a generated value in any diagnostic of any policy", () => {
        // Runs after the cases above, over everything they received.
        expect(shown.length).toBeGreaterThan(headerSamples.length);
        const text = JSON.stringify(shown.map((d) => [d.message, d.description, d.urn]));
        const values = [...headerSamples.map(([, value]) => value), ...urlSamples.map(({ url }) => url)].filter((v) => v.length >= 12);
        expect(values.filter((value) => text.includes(value))).toEqual([]);
    });
});
