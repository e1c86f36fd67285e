import { z } from "zod";
import { defineControl, workspaceIdField } from "../core/control";
import { controlResource } from "../core/resource";
import { ipAllowlistProvider } from "../intercom/ip-allowlist-provider";

export const ipAllowlistSchema = z.strictObject({
  workspaceId: workspaceIdField,
  scope: z.enum(["dashboard", "rest_api"]).describe("dashboard: the web app's IP restriction; rest_api: the REST API IP allowlist."),
  enabled: z.boolean().describe("Off, or on with an empty list, lets every address in."),
  entries: z.array(z.string()).describe("IPv4 addresses or IPv4 CIDR ranges (no IPv6)."),
});

export const ipAllowlistControl = defineControl({
  name: "IpAllowlist",
  catalogOrder: 40,
  description: "Which IPv4 addresses may reach the dashboard or the REST API.",
  schema: ipAllowlistSchema,
  secretPaths: [],
  identityFields: ["scope"],
  intercomDefaults: [{ scope: "dashboard", enabled: false, entries: [] }],
  intercomDefaultSummary: "no dashboard IP restriction: every address can reach the sign-in page",
  restApi: "GET/PUT /ip_allowlist (rest_api scope)",
});

export type IpAllowlistSettings = z.output<typeof ipAllowlistSchema>;
/** Applied through `GET/PUT /ip_allowlist` when an Intercom token is configured (rest_api scope); declared state otherwise. */
export class IpAllowlist extends controlResource(ipAllowlistControl, { provider: ipAllowlistProvider() }) {}
