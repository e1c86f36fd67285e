import { isIpv4Literal, isIpv6Literal } from "./network";

/**
 * Why a trusted-domain entry admits far more than one site, or undefined when it is a proper
 * domain name (optionally with a leading `*.` for its subdomains, as Intercom allows).
 */
export function overlyBroadDomainReason(entry: string): string | undefined {
  const value = entry.trim().toLowerCase();
  if (value === "") return "is blank";
  if (value === "*" || value === "*.*") return "admits any domain";
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(value) || value.includes("://")) return "has a scheme: list the domain name only";
  if (value.includes("/")) return "has a path: list the domain name only";
  if (value.includes(":") && !isIpv6Literal(value)) return "has a port: list the domain name only";
  if (value === "localhost" || value.endsWith(".localhost")) return "is localhost";
  if (isIpv4Literal(value) || isIpv6Literal(value)) return "is an IP address, not a domain";
  const labels = value.split(".");
  // Browsers read 127.1, 0x7f.0.0.1 and 0177.0.0.1 as IPv4 addresses; no domain name ends in a number.
  if (/^(\d+|0x[0-9a-f]*)$/.test(labels[labels.length - 1] as string)) return "is an IP address, not a domain";
  const wildcardAt = labels.findIndex((label) => label.includes("*"));
  if (wildcardAt > 0 || (wildcardAt === 0 && labels[0] !== "*")) return "uses * other than as the leading label";
  const named = wildcardAt === 0 ? labels.slice(1) : labels;
  if (named.length < 2) return wildcardAt === 0 ? "admits a whole top-level domain" : "is not a full domain name";
  if (wildcardAt === 0 && sharedHostingSuffixes.has(named.join("."))) {
    return "admits a whole public suffix, where anyone can get a subdomain";
  }
  if (!named.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return "is not a valid domain name";
  return undefined;
}

/**
 * Public suffixes of more than one label, and hosting domains where anyone can get a subdomain:
 * `*.co.uk` or `*.herokuapp.com` is as broad as `*.com`. A short list of the common ones, not the
 * whole Public Suffix List.
 */
const sharedHostingSuffixes = new Set([
  "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "com.br", "co.in",
  "github.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev", "workers.dev", "web.app",
  "firebaseapp.com", "azurewebsites.net", "blob.core.windows.net", "cloudfront.net", "amazonaws.com",
  "s3.amazonaws.com", "appspot.com", "blogspot.com", "ngrok.io", "ngrok-free.app", "ngrok.app", "onrender.com",
  "fly.dev", "glitch.me", "repl.co", "surge.sh", "gitlab.io", "wixsite.com", "myshopify.com",
]);
