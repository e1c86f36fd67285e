/**
 * The repository a report names (SARIF's version control provenance): a remote written without
 * the credentials or personal names a remote URL may carry, and nothing for what is not a URI.
 */
import * as fs from "fs";
import * as os from "os";
import fc from "fast-check";
import { gitStateOf, repositoryUriOf } from "../../cli/evidence";
import { propertyParameters } from "../support/property";

const token = fc.stringMatching(/^[A-Za-z0-9_]{6,30}$/).map((t) => `tok${t}`);
const host = fc.constantFrom("github.com", "gitlab.example.com", "git.internal");
const repoPath = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}\/[a-z][a-z0-9-]{0,10}$/);

describe("repositoryUriOf", () => {
  it("drops the user, password, query and fragment of an https remote, keeps host and path", () => {
    fc.assert(
      fc.property(token, token, host, repoPath, (user, password, h, p) => {
        const uri = repositoryUriOf(`https://${user}:${password}@${h}/${p}.git?private_token=${password}#${user}`);
        expect(uri).toBe(`https://${h}/${p}.git`);
      }),
      propertyParameters(100),
    );
  });

  it("writes an scp-like remote as ssh://host/path, without the user", () => {
    fc.assert(
      fc.property(token, host, repoPath, (user, h, p) => {
        expect(repositoryUriOf(`${user}@${h}:${p}.git`)).toBe(`ssh://${h}/${p}.git`);
      }),
      propertyParameters(50),
    );
  });

  it("names nothing for a local path or another scheme", () => {
    for (const remote of ["/srv/git/project.git", "../project", "file:///srv/git/project.git", "C:\\repos\\project", ""]) {
      expect(repositoryUriOf(remote)).toBeUndefined();
    }
  });
});

describe("gitStateOf", () => {
  it("is undefined outside any repository, not an error", async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/no-repo-`);
    try {
      await expect(gitStateOf(dir)).resolves.toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
